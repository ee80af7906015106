// What the tracer knows about the packet, as nft sees it: selector values and literal matching.
import { cidrContains, parseCidr, parseIp, type IpValue } from '../common/ip.js';
import type { L4Protocol } from '../trace/types.js';
import type { NftExpr } from './types.js';

/** A selector's value for the traced packet; `absent` = the header is not there (the match fails). */
export type RuntimeValue =
  | { t: 'ip'; v: IpValue }
  | { t: 'num'; v: number }
  | { t: 'proto'; v: string }
  | { t: 'str'; v: string }
  | { t: 'flags'; v: string[] }
  | { t: 'absent' }
  | { t: 'unknown'; why: string };

/** The packet state a walk carries (one per branch). */
export interface PacketState {
  family: 4 | 6;
  src: string;
  dst: string;
  dport: number;
  sport: number;
  proto: L4Protocol;
  mark: number;
  ctmark: number;
  /** The connection has been DNATed (`ct status dnat`). */
  ctDnat: boolean;
  inInterface: string | undefined;
  outInterface: string | undefined;
}

const PROTO_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };

export function parseNumber(text: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
  if (/^\d+$/.test(text)) return Number(text);
  return null;
}

/** Evaluates a selector (not numgen) for the packet. `isLocal` answers fib address-type lookups. */
export function evalSelector(e: NftExpr, p: PacketState, isLocal: (ip: string) => boolean): RuntimeValue {
  switch (e.kind) {
    case 'payload': {
      if (e.protocol === 'ip' || e.protocol === 'ip6') {
        if ((e.protocol === 'ip') !== (p.family === 4)) return { t: 'absent' };
        if (e.field === 'saddr' || e.field === 'daddr') {
          const ip = parseIp(e.field === 'saddr' ? p.src : p.dst);
          return ip === null
            ? { t: 'unknown', why: `${e.protocol} ${e.field} is not an address` }
            : { t: 'ip', v: ip };
        }
        if (e.field === 'protocol' || e.field === 'nexthdr') return { t: 'proto', v: p.proto };
        return { t: 'unknown', why: `${e.protocol} ${e.field} not modelled` };
      }
      if (e.protocol === 'th' || e.protocol === 'tcp' || e.protocol === 'udp' || e.protocol === 'sctp') {
        if (e.protocol !== 'th' && e.protocol !== p.proto) return { t: 'absent' };
        if (e.field === 'dport') return { t: 'num', v: p.dport };
        if (e.field === 'sport') return { t: 'num', v: p.sport };
        return { t: 'unknown', why: `${e.protocol} ${e.field} not modelled` };
      }
      return { t: 'unknown', why: `${e.protocol} ${e.field} not modelled` };
    }
    case 'meta':
      switch (e.key) {
        case 'l4proto':
        case 'protocol':
          return { t: 'proto', v: p.proto };
        case 'mark':
          return { t: 'num', v: p.mark };
        case 'nfproto':
          return { t: 'str', v: p.family === 4 ? 'ipv4' : 'ipv6' };
        case 'iifname':
          return p.inInterface === undefined
            ? { t: 'unknown', why: 'input interface unknown' }
            : { t: 'str', v: p.inInterface };
        case 'oifname':
          return p.outInterface === undefined
            ? { t: 'unknown', why: 'output interface unknown' }
            : { t: 'str', v: p.outInterface };
        default:
          return { t: 'unknown', why: `meta ${e.key} not modelled` };
      }
    case 'ct':
      if (e.key === 'state') return { t: 'flags', v: ['new'] };
      if (e.key === 'status') return { t: 'flags', v: p.ctDnat ? ['dnat'] : [] };
      if (e.key === 'mark') return { t: 'num', v: p.ctmark };
      return { t: 'unknown', why: `ct ${e.key} not modelled` };
    case 'fib': {
      if (e.result !== 'type' || e.flags.length !== 1)
        return { t: 'unknown', why: `fib ${e.flags.join(' . ')} ${e.result} not modelled` };
      const addr = e.flags[0] === 'saddr' ? p.src : e.flags[0] === 'daddr' ? p.dst : null;
      if (addr === null) return { t: 'unknown', why: `fib ${e.flags.join(' . ')} not modelled` };
      return { t: 'str', v: isLocal(addr) ? 'local' : 'unicast' };
    }
    case 'binop': {
      const l = evalSelector(e.left, p, isLocal);
      const r = e.right.kind === 'value' ? parseNumber(e.right.text) : null;
      if (l.t !== 'num' || r === null)
        return l.t === 'absent' ? l : { t: 'unknown', why: 'expression not modelled' };
      return { t: 'num', v: binop(e.op, l.v, r) };
    }
    default:
      return { t: 'unknown', why: `${e.kind} expression not modelled` };
  }
}

export function binop(op: string, a: number, b: number): number {
  switch (op) {
    case '&':
      return (a & b) >>> 0;
    case '|':
      return (a | b) >>> 0;
    case '^':
      return (a ^ b) >>> 0;
    case '<<':
      return (a << b) >>> 0;
    default:
      return a >>> b;
  }
}

/** Whether a literal (`10.0.0.0/8`, `80`, `1-1024`, `tcp`, `new`, `"eth*"`) matches the value; null = cannot tell. */
export function literalMatches(v: RuntimeValue, text: string): boolean | null {
  switch (v.t) {
    case 'absent':
      return false;
    case 'unknown':
      return null;
    case 'ip': {
      const dash = text.indexOf('-');
      if (dash > 0) {
        const a = parseIp(text.slice(0, dash));
        const b = parseIp(text.slice(dash + 1));
        if (a === null || b === null) return null;
        return a.family === v.v.family && a.value <= v.v.value && v.v.value <= b.value;
      }
      const c = parseCidr(text);
      return c === null ? null : cidrContains(c, v.v);
    }
    case 'num': {
      const range = /^(\S+)-(\S+)$/.exec(text);
      if (range !== null) {
        const a = parseNumber(range[1] ?? '');
        const b = parseNumber(range[2] ?? '');
        return a === null || b === null ? null : a <= v.v && v.v <= b;
      }
      const n = parseNumber(text);
      return n === null ? null : n === v.v;
    }
    case 'proto': {
      const n = parseNumber(text);
      return n !== null ? PROTO_NUMBERS[v.v] === n : text.toLowerCase() === v.v;
    }
    case 'str':
      return text.endsWith('*') ? v.v.startsWith(text.slice(0, -1)) : v.v === text;
    case 'flags':
      return v.v.includes(text);
  }
}

/** Matches concatenated key parts (element literals) against values part by part. */
export function keyMatches(values: readonly RuntimeValue[], parts: readonly string[]): boolean | null {
  if (values.length !== parts.length) return false;
  let unknown = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const m = v === undefined ? null : literalMatches(v, parts[i] ?? '');
    if (m === false) return false;
    if (m === null) unknown = true;
  }
  return unknown ? null : true;
}
