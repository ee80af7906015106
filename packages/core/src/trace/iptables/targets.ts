import { canonicalIp, joinHostPort, parseHostPort, parseIp } from '../../common/ip.js';
import type { RuleOption, RuleTarget } from '../../iptables/types.js';
import type { World } from './world.js';

/** What a target does to the walk. */
export type TargetEffect =
  | { kind: 'continue'; action: string }
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'REJECT'; action: string }
  | { kind: 'return'; action: string };

const opt = (t: RuleTarget, ...names: string[]): RuleOption | undefined =>
  t.options.find((o) => names.includes(o.name));

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s) >>> 0);

function markSpec(s: string | undefined): { value: number; mask: number } {
  const [v, m] = (s ?? '0').split('/');
  return { value: num(v), mask: m === undefined ? 0xffffffff : num(m) };
}

/** Applies a MARK/CONNMARK style change to `current`. */
function applyMark(t: RuleTarget, current: number): number {
  const set = opt(t, 'set-xmark', 'set-mark');
  if (set) {
    const { value, mask } = markSpec(set.args[0]);
    // --set-xmark v/m: zero the mask bits, then XOR the value (--set-mark v/m is the same with m|v).
    const m = set.name === 'set-mark' ? (mask | value) >>> 0 : mask;
    return ((current & ~m) ^ value) >>> 0;
  }
  const or = opt(t, 'or-mark');
  if (or) return (current | num(or.args[0])) >>> 0;
  const and = opt(t, 'and-mark');
  if (and) return (current & num(and.args[0])) >>> 0;
  const xor = opt(t, 'xor-mark');
  if (xor) return (current ^ num(xor.args[0])) >>> 0;
  return current;
}

/** `--to-destination 10.1.2.3:80`, `10.1.2.3`, `[fd00::1]:80`, ranges `a-b:p1-p2` (first taken). */
function parseNatTo(spec: string, w: World): { ip: string; port: number } {
  const { host, port } = parseHostPort(spec);
  const ip = host === '' ? w.dst : canonicalIp(host.split('-')[0] ?? host);
  const p = port === null || Number.isNaN(port) ? w.dport : port;
  return { ip, port: p };
}

function portOf(spec: string): number | null {
  const m = /^(\d+)/.exec(spec);
  return m ? Number(m[1]) : null;
}

const NON_TERMINATING = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'TRACE',
  'AUDIT',
  'NOTRACK',
  'CT',
  'CHECKSUM',
  'TCPMSS',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'CLASSIFY',
  'SET',
  'NFACCT',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'ECN',
  'TEE',
  'TCPOPTSTRIP',
]);

/**
 * Applies a builtin target. `localAddress` is the node address MASQUERADE and REDIRECT use.
 * Returns null when `t.name` is not a builtin target (a user chain or an unknown extension).
 */
export function applyTarget(
  t: RuleTarget,
  w: World,
  table: string,
  localAddress: string | null,
): TargetEffect | null {
  switch (t.name) {
    case 'ACCEPT':
    case 'DROP':
    case 'REJECT':
      return { kind: 'verdict', verdict: t.name, action: t.name };
    case 'RETURN':
      return { kind: 'return', action: 'RETURN' };
    case 'DNAT': {
      const to = opt(t, 'to-destination', 'to');
      if (!to) return { kind: 'continue', action: 'DNAT without --to-destination (ignored)' };
      const { ip, port } = parseNatTo(to.args[0] ?? '', w);
      w.dst = ip;
      w.dstIp = parseIp(ip);
      w.dport = port;
      w.dnat = joinHostPort(ip, port);
      return { kind: 'verdict', verdict: 'ACCEPT', action: `DNAT to ${w.dnat}` };
    }
    case 'REDIRECT': {
      const to = opt(t, 'to-ports');
      const port = (to && portOf(to.args[0] ?? '')) ?? w.dport;
      const ip =
        w.hook === 'OUTPUT' ? (w.dstIp?.family === 6 ? '::1' : '127.0.0.1') : (localAddress ?? w.dst);
      w.dst = ip;
      w.dstIp = parseIp(ip);
      w.dport = port;
      w.dnat = joinHostPort(ip, port);
      return { kind: 'verdict', verdict: 'ACCEPT', action: `REDIRECT to ${w.dnat}` };
    }
    case 'SNAT': {
      const to = opt(t, 'to-source', 'to');
      const ip = to ? parseNatTo(to.args[0] ?? '', w).ip : w.src;
      w.src = ip;
      w.srcIp = parseIp(ip);
      w.snat = true;
      return { kind: 'verdict', verdict: 'ACCEPT', action: `SNAT to ${ip}` };
    }
    case 'MASQUERADE': {
      w.masquerade = true;
      w.snat = true;
      if (localAddress) {
        w.src = localAddress;
        w.srcIp = parseIp(localAddress);
      }
      return { kind: 'verdict', verdict: 'ACCEPT', action: 'MASQUERADE (source becomes the node address)' };
    }
    case 'MARK': {
      w.mark = applyMark(t, w.mark);
      return { kind: 'continue', action: `MARK → 0x${w.mark.toString(16)}` };
    }
    case 'CONNMARK': {
      if (opt(t, 'save-mark')) w.connmark = w.mark;
      else if (opt(t, 'restore-mark')) w.mark = w.connmark;
      else w.connmark = applyMark(t, w.connmark);
      return { kind: 'continue', action: `CONNMARK → 0x${w.connmark.toString(16)}` };
    }
    case 'NFQUEUE':
    case 'QUEUE':
      return {
        kind: 'verdict',
        verdict: 'ACCEPT',
        action: `${t.name} (a userspace program decides; assumed to accept)`,
      };
    case 'TPROXY':
      return {
        kind: 'verdict',
        verdict: 'ACCEPT',
        action: 'TPROXY (delivered to a local transparent proxy)',
      };
    default:
      if (NON_TERMINATING.has(t.name)) return { kind: 'continue', action: t.name };
      void table;
      return null;
  }
}
