import { cidrContains, parseCidr, parseIp, type CidrValue, type IpValue } from '../../common/ip.js';
import type { IptablesRule, RuleMatch, RuleOption } from '../../iptables/types.js';
import { addressType, type LocalAddresses } from './addresses.js';
import type { World } from './world.js';

/** What one match says about the packet. */
export type MatchVerdict =
  | { kind: 'bool'; value: boolean }
  /** Decided by chance: the kernel's `statistic` module. */
  | { kind: 'random'; probability: number; label: string }
  /** Cannot be decided from the dump and the packet. */
  | { kind: 'unknown'; reason: string };

export interface MatchContext {
  local: LocalAddresses;
  /** Original destination before any DNAT (`--ctorigdst`). */
  origDst: string;
  origDport: number;
  /** ipset membership, when an ipset dump is known. */
  ipset?: (name: string, flags: string[], w: World) => boolean | 'unknown-set';
}

const T: MatchVerdict = { kind: 'bool', value: true };
const F: MatchVerdict = { kind: 'bool', value: false };
const bool = (v: boolean): MatchVerdict => (v ? T : F);
const unknown = (reason: string): MatchVerdict => ({ kind: 'unknown', reason });

const PROTO_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };

/** Applies `!` to a decided verdict; random and unknown verdicts carry negation inside. */
function negate(v: MatchVerdict, negated: boolean): MatchVerdict {
  if (!negated) return v;
  if (v.kind === 'bool') return bool(!v.value);
  if (v.kind === 'random') return { kind: 'random', probability: 1 - v.probability, label: `not ${v.label}` };
  return v;
}

/**
 * What an option's arguments mean, read once per option of the parsed ruleset: a trace evaluates
 * the same rules for every packet, and re-reading their text each time costs more than the match.
 */
function memoPerOption<T>(read: (o: RuleOption) => T): (o: RuleOption) => T {
  const cache = new WeakMap<RuleOption, { v: T }>();
  return (o) => {
    let hit = cache.get(o);
    if (!hit) {
      hit = { v: read(o) };
      cache.set(o, hit);
    }
    return hit.v;
  };
}

/** `80`, `8000:8080`, `:1024`, `1024:` and comma lists of them, as [low, high] ranges. */
function portRanges(spec: string): Array<readonly [number, number]> {
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) return [Number(part), Number(part)] as const;
    const lo = colon === 0 ? 0 : Number(part.slice(0, colon));
    const hi = colon === part.length - 1 ? 65535 : Number(part.slice(colon + 1));
    return [lo, hi] as const;
  });
}

const portRangesOf = memoPerOption((o) => portRanges(first(o)));

function portInSpec(o: RuleOption, port: number): boolean {
  for (const [lo, hi] of portRangesOf(o)) if (port >= lo && port <= hi) return true;
  return false;
}

const cidrOf = memoPerOption((o): CidrValue | null => parseCidr(first(o)));

/** `-s`/`-d` style address match: a CIDR or a host; unparseable → null (undecidable). */
function addressMatches(o: RuleOption, ip: IpValue | null): boolean | null {
  const cidr = cidrOf(o);
  if (!cidr || !ip) return null;
  return cidrContains(cidr, ip);
}

function interfaceMatches(spec: string, name: string | undefined): MatchVerdict {
  if (name === undefined) return unknown(`interface ${spec} (no interface given with the packet)`);
  if (spec.endsWith('+')) return bool(name.startsWith(spec.slice(0, -1)));
  return bool(name === spec);
}

const markSpecOf = memoPerOption((o): { value: number; mask: number } => {
  const [v, m] = first(o).split('/');
  return { value: Number(v) >>> 0, mask: m === undefined ? 0xffffffff : Number(m) >>> 0 };
});

const ipRangeContains = (range: string, ip: string): boolean | null => {
  const [lo, hi] = range.split('-');
  const a = parseIp(lo ?? '');
  const b = parseIp(hi ?? lo ?? '');
  const x = parseIp(ip);
  if (!a || !b || !x || a.family !== x.family) return null;
  return x.value >= a.value && x.value <= b.value;
};

type OptionEval = (o: RuleOption, w: World, ctx: MatchContext) => MatchVerdict;

function first(o: RuleOption): string {
  return o.args[0] ?? '';
}

const builtin: Record<string, OptionEval> = {
  source: (o, w) => {
    const m = addressMatches(o, w.srcIp);
    return m === null ? unknown(`-s ${first(o)}`) : bool(m);
  },
  destination: (o, w) => {
    const m = addressMatches(o, w.dstIp);
    return m === null ? unknown(`-d ${first(o)}`) : bool(m);
  },
  protocol: (o, w) => {
    const p = first(o).toLowerCase();
    if (p === 'all' || p === '0') return T;
    return bool((PROTO_NUMBERS[p] ?? p) === w.proto);
  },
  'in-interface': (o, w) => interfaceMatches(first(o), w.inInterface),
  'out-interface': (o, w) => interfaceMatches(first(o), w.outInterface),
  // The first packet of a connection is never a non-first fragment.
  fragment: () => F,
};

const ports: Record<string, OptionEval> = {
  dport: (o, w) => bool(portInSpec(o, w.dport)),
  'destination-port': (o, w) => bool(portInSpec(o, w.dport)),
  sport: (o, w) => bool(portInSpec(o, w.sport)),
  'source-port': (o, w) => bool(portInSpec(o, w.sport)),
  // The first TCP packet is a SYN: SYN set, ACK/RST/FIN clear.
  syn: (_o, w) => bool(w.proto === 'tcp'),
  'tcp-flags': (o, w) => {
    if (w.proto !== 'tcp') return F;
    const setOf = (s: string) =>
      new Set(s === 'ALL' ? ['SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH'] : s.split(','));
    const mask = setOf(o.args[0] ?? '');
    const comp = setOf(o.args[1] ?? '');
    for (const f of mask) if ((f === 'SYN') !== comp.has(f)) return F;
    return T;
  },
};

const multiport: Record<string, OptionEval> = {
  dports: (o, w) => bool(portInSpec(o, w.dport)),
  'destination-ports': (o, w) => bool(portInSpec(o, w.dport)),
  sports: (o, w) => bool(portInSpec(o, w.sport)),
  'source-ports': (o, w) => bool(portInSpec(o, w.sport)),
  ports: (o, w) => bool(portInSpec(o, w.dport) || portInSpec(o, w.sport)),
};

const ctStatesOf = memoPerOption((o) => {
  const states = first(o).split(',');
  return { new: states.includes('NEW'), dnat: states.includes('DNAT'), snat: states.includes('SNAT') };
});

/** conntrack states of the first packet of a new connection (never ESTABLISHED, RELATED, INVALID, UNTRACKED). */
function ctStateMatches(o: RuleOption, w: World): boolean {
  const s = ctStatesOf(o);
  return s.new || (s.dnat && w.dnat !== null) || (s.snat && w.snat);
}

const conntrack: Record<string, OptionEval> = {
  ctstate: (o, w) => bool(ctStateMatches(o, w)),
  state: (o, w) => bool(ctStateMatches(o, w)),
  // A first packet has no status bits yet (not SEEN_REPLY, ASSURED or CONFIRMED).
  ctstatus: (o) => bool(first(o).split(',').includes('NONE')),
  ctdir: (o) => bool(first(o) === 'ORIGINAL'),
  ctproto: (o, w) => bool((PROTO_NUMBERS[first(o)] ?? first(o).toLowerCase()) === w.proto),
  ctorigdst: (o, _w, ctx) => bool(addressMatches(o, parseIp(ctx.origDst)) === true),
  ctorigdstport: (o, _w, ctx) => bool(portInSpec(o, ctx.origDport)),
  ctorigsrc: (o, w) => bool(addressMatches(o, w.srcIp) === true),
};

const addrtype: Record<string, OptionEval> = {
  'src-type': (o, w, ctx) => {
    const t = addressType(w.srcIp, ctx.local);
    return t === null ? unknown(`--src-type ${first(o)}`) : bool(first(o).split(',').includes(t));
  },
  'dst-type': (o, w, ctx) => {
    const t = addressType(w.dstIp, ctx.local);
    return t === null ? unknown(`--dst-type ${first(o)}`) : bool(first(o).split(',').includes(t));
  },
  // Interface limits only narrow which routing table is asked; the answer is the same here.
  'limit-iface-in': () => T,
  'limit-iface-out': () => T,
};

/** Modules whose every option is decided by one function of the whole match. */
type WholeEval = (m: RuleMatch, w: World, ctx: MatchContext) => MatchVerdict;

const whole: Record<string, WholeEval> = {
  comment: () => T,
  nfacct: () => T,
  // Rate limits let the first packet of a new client through.
  limit: () => T,
  hashlimit: () => T,
  quota: () => T,
  mark: (m, w) => {
    for (const o of m.options) {
      if (o.name !== 'mark') continue;
      const { value, mask } = markSpecOf(o);
      if (((w.mark & mask) >>> 0 === value) === o.negated) return F;
    }
    return T;
  },
  connmark: (m, w) => {
    for (const o of m.options) {
      if (o.name !== 'mark') continue;
      const { value, mask } = markSpecOf(o);
      if (((w.connmark & mask) >>> 0 === value) === o.negated) return F;
    }
    return T;
  },
  statistic: (m) => {
    const mode = m.options.find((o) => o.name === 'mode');
    const p = m.options.find((o) => o.name === 'probability');
    if (first(mode ?? { name: '', negated: false, args: [] }) === 'random' && p) {
      const probability = Number(first(p));
      if (!Number.isFinite(probability)) return unknown(`--probability ${first(p)}`);
      return negate({ kind: 'random', probability, label: `random ${first(p)}` }, p.negated);
    }
    const every = m.options.find((o) => o.name === 'every');
    if (every) {
      const n = Number(first(every));
      return { kind: 'random', probability: n > 0 ? 1 / n : 0, label: `every ${first(every)}th packet` };
    }
    return unknown('statistic mode');
  },
  recent: (m, w) => {
    const name = first(
      m.options.find((o) => o.name === 'name') ?? { name: '', negated: false, args: ['DEFAULT'] },
    );
    const check = m.options.find((o) => ['rcheck', 'update', 'remove'].includes(o.name));
    if (check) {
      const seconds = m.options.find((o) => o.name === 'seconds');
      if (seconds) w.recentSeconds.set(name, Number(first(seconds)));
      // A new client has no record in any recent list.
      return bool(check.negated);
    }
    const set = m.options.find((o) => o.name === 'set');
    if (set) {
      const seconds = w.recentSeconds.get(name);
      if (seconds !== undefined) w.affinity = { timeoutSeconds: seconds, key: name };
      return T;
    }
    return unknown('recent');
  },
  set: (m, w, ctx) => {
    for (const o of m.options) {
      if (o.name !== 'match-set') continue;
      const name = o.args[0] ?? '';
      const flags = (o.args[1] ?? 'dst').split(',');
      const r = ctx.ipset ? ctx.ipset(name, flags, w) : 'unknown-set';
      if (r === 'unknown-set')
        return unknown(`--match-set ${name} ${flags.join(',')} (no ipset dump for this set)`);
      if (r === o.negated) return F;
    }
    return T;
  },
  policy: (m) => {
    const pol = m.options.find((o) => o.name === 'pol');
    if (!pol) return unknown('policy');
    return bool((first(pol) === 'none') !== pol.negated);
  },
  helper: (m) => bool(m.options.some((o) => o.negated)),
  pkttype: (m, w, ctx) => {
    const o = m.options.find((x) => x.name === 'pkt-type');
    if (!o) return unknown('pkttype');
    const t = addressType(w.dstIp, ctx.local);
    const kind = t === 'MULTICAST' ? 'multicast' : t === 'BROADCAST' ? 'broadcast' : 'unicast';
    return bool((first(o) === kind) !== o.negated);
  },
  iprange: (m, w) => {
    for (const o of m.options) {
      const ip = o.name === 'src-range' ? w.src : o.name === 'dst-range' ? w.dst : null;
      if (ip === null) continue;
      const r = ipRangeContains(first(o), ip);
      if (r === null) return unknown(`--${o.name} ${first(o)}`);
      if (r === o.negated) return F;
    }
    return T;
  },
};

const perOption: Record<string, Record<string, OptionEval>> = {
  '': builtin,
  tcp: ports,
  udp: ports,
  sctp: ports,
  udplite: ports,
  multiport,
  conntrack,
  state: conntrack,
  addrtype,
};

/** Evaluates one match of a rule. */
export function evalMatch(m: RuleMatch, w: World, ctx: MatchContext): MatchVerdict {
  const wholeEval = whole[m.module];
  if (wholeEval) return wholeEval(m, w, ctx);
  const table = perOption[m.module];
  if (!table) return unknown(`-m ${m.module} (not modelled)`);
  // tcp/udp/sctp options only apply to their own protocol.
  if ((m.module === 'tcp' || m.module === 'udp' || m.module === 'sctp') && w.proto !== m.module) return F;
  let result: MatchVerdict = T;
  for (const o of m.options) {
    const f = table[o.name];
    const v = f
      ? negate(f(o, w, ctx), o.negated)
      : unknown(`${m.module ? `-m ${m.module} ` : ''}--${o.name}`);
    if (v.kind === 'bool' && !v.value) return F;
    if (v.kind !== 'bool') result = v;
  }
  return result;
}

/** One way a rule can go for a world: matched or not, with the probability factor and why. */
export interface RuleBranch {
  matched: boolean;
  factor: number;
  /** The undecided match this branch assumes, if any. */
  assumption?: { match: string; assumed: 'matched' | 'not matched' };
  /** Chance taken, e.g. `random 0.3333333333`. */
  chance?: string;
}

/**
 * Evaluates all matches of a rule (they are ANDed). A definite mismatch anywhere wins; otherwise
 * unknown matches fork the world evenly and random matches fork it by their probability.
 */
/** The answer for most rules a walk meets; shared, so the common case allocates nothing. */
const NOT_MATCHED: readonly RuleBranch[] = Object.freeze([Object.freeze({ matched: false, factor: 1 })]);
const MATCHED: readonly RuleBranch[] = Object.freeze([Object.freeze({ matched: true, factor: 1 })]);

export function evalRule(rule: IptablesRule, w: World, ctx: MatchContext): readonly RuleBranch[] {
  let probability = 1;
  const chances: string[] = [];
  const unknowns: string[] = [];
  for (const m of rule.matches) {
    const v = evalMatch(m, w, ctx);
    if (v.kind === 'bool') {
      if (!v.value) return NOT_MATCHED;
    } else if (v.kind === 'random') {
      probability *= v.probability;
      chances.push(v.label);
    } else {
      unknowns.push(v.reason);
    }
  }
  const chance = chances.length ? chances.join(', ') : undefined;
  const matchedFactor = (f: number): RuleBranch =>
    chance === undefined ? { matched: true, factor: f } : { matched: true, factor: f, chance };
  if (unknowns.length === 0) {
    if (probability >= 1) return chance === undefined ? MATCHED : [matchedFactor(1)];
    if (probability <= 0) return NOT_MATCHED;
    return [matchedFactor(probability), { matched: false, factor: 1 - probability }];
  }
  const match = unknowns.join('; ');
  const branches: RuleBranch[] = [];
  if (probability > 0) {
    branches.push({ ...matchedFactor(0.5 * probability), assumption: { match, assumed: 'matched' } });
  }
  if (probability < 1)
    branches.push({
      matched: false,
      factor: 0.5 * (1 - probability),
      assumption: { match, assumed: 'matched' },
    });
  branches.push({ matched: false, factor: 0.5, assumption: { match, assumed: 'not matched' } });
  return branches;
}
