import { cidrNetwork, formatCidr, isCanonicalIPv4, parseCidr } from '../common/ip.js';
import { ruleAddressFamily } from './rule-helpers.js';
import type { IptablesRule, RuleOption } from './types.js';
import { BUILTIN_SHORT, protocolName } from './vocabulary.js';

// A rule as kube-proxy writes it (restore input) and as iptables-save prints it back differ in
// text (KUBE-PROXY.md §3.13). The canonical key is the same for both: it describes what the
// kernel stores, not how it was spelled.

const TWO_31 = 0x80000000;

/** The kernel's 32-bit fixed-point probability, as libxt_statistic computes it. */
export function kernelProbability(p: number): number {
  return Math.round(p * TWO_31);
}

const cidrCache = new Map<string, string>();

function cidrKey(text: string): string {
  // Host addresses are most of what kube-proxy writes: no need for the full parser.
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  if (isCanonicalIPv4(addr) && (slash < 0 || /^0*32$/.test(text.slice(slash + 1)))) return `${addr}/32`;
  const cached = cidrCache.get(text);
  if (cached !== undefined) return cached;
  const c = parseCidr(text);
  const key = c === null ? text : formatCidr(cidrNetwork(c));
  if (cidrCache.size >= 50_000) cidrCache.clear();
  cidrCache.set(text, key);
  return key;
}

/** `0x004000` → `0x4000`; other numbers as hex; non-numbers as given. */
function hexKey(text: string): string {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? '0x' + (n >>> 0).toString(16) : text.toLowerCase();
}

/** `value[/mask]` with the mask defaulting to all ones. */
function markKey(text: string): [number, number] | null {
  const [v, m] = text.split('/');
  const value = Number(v);
  const mask = m === undefined ? 0xffffffff : Number(m);
  return Number.isInteger(value) && Number.isInteger(mask) ? [value >>> 0, mask >>> 0] : null;
}

const OPTION_ALIASES: Readonly<Record<string, string>> = {
  'source-port': 'sport',
  'destination-port': 'dport',
  'source-ports': 'sports',
  'destination-ports': 'dports',
};

const SORTED_LIST_OPTIONS = new Set(['ctstate', 'state', 'ctstatus']);

type KeyOption = [name: string, negated: boolean, args: string[]];

/** Separators no dump line contains (text lines have no control characters that matter here). */
const SEP = { arg: '\u0001', option: '\u0002', module: '\u0003', part: '\u0004', target: '\u0005' };

function optionKey([name, negated, args]: KeyOption): string {
  return (negated ? '!' : '') + name + SEP.arg + args.join(SEP.arg);
}

const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

/** `ACK,SYN` → `SYN,ACK` (kernel bit order); `ALL` and `NONE` spelled out. */
function tcpFlagsKey(list: string): string {
  const set = new Set<string>();
  for (const f of list.toUpperCase().split(',')) {
    if (f === 'ALL') TCP_FLAGS.forEach((x) => set.add(x));
    else if (f !== 'NONE' && f !== '') set.add(f);
  }
  return TCP_FLAGS.filter((f) => set.has(f)).join(',') || 'NONE';
}

function moduleOptions(module: string, options: readonly RuleOption[], family: 4 | 6): KeyOption[] {
  const out: KeyOption[] = [];
  for (const o of options) {
    const name = OPTION_ALIASES[o.name] ?? o.name;
    let args = o.args;
    if (SORTED_LIST_OPTIONS.has(name)) args = args.map((a) => a.split(',').sort().join(','));
    if (module === 'tcp' && name === 'syn') {
      // `--syn` is stored as `--tcp-flags FIN,SYN,RST,ACK SYN`.
      out.push(['tcp-flags', o.negated, ['FIN,SYN,RST,ACK', 'SYN']]);
      continue;
    }
    if (module === 'tcp' && name === 'tcp-flags') args = args.map(tcpFlagsKey);
    if (module === 'statistic' && name === 'probability') {
      const p = Number(args[0]);
      if (Number.isFinite(p)) args = [String(kernelProbability(p))];
    }
    if ((module === 'mark' || module === 'connmark') && name === 'mark') {
      const mk = markKey(args[0] ?? '');
      if (mk !== null) args = [`0x${mk[0].toString(16)}/0x${mk[1].toString(16)}`];
    }
    if (module === 'recent') {
      if (name === 'rsource') continue; // the default
      if (
        name === 'mask' &&
        (args[0] === '255.255.255.255' || (family === 6 && /^(ffff:){7}ffff$/i.test(args[0] ?? '')))
      )
        continue;
      if (name === 'name' && args[0] === 'DEFAULT') continue;
    }
    out.push([name, o.negated, args]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function targetOptions(name: string, options: readonly RuleOption[], family: 4 | 6): KeyOption[] {
  if (name === 'MARK' || name === 'CONNMARK') {
    // --or-mark / --xor-mark / --and-mark / --set-mark are all stored as an xmark value/mask pair
    // (for CONNMARK too; its --save-mark / --restore-mark masks are kept as written, in hex).
    const out: KeyOption[] = [];
    for (const o of options) {
      const mk = markKey(o.args[0] ?? '');
      if (mk === null) {
        out.push([o.name, o.negated, o.args]);
        continue;
      }
      const [v, m] = mk;
      let pair: [number, number] | null = null;
      if (o.name === 'set-xmark') pair = [v, m];
      else if (o.name === 'set-mark') pair = [v, (m | v) >>> 0];
      else if (o.name === 'or-mark') pair = [v, v];
      else if (o.name === 'xor-mark') pair = [v, 0];
      else if (o.name === 'and-mark') pair = [0, ~v >>> 0];
      if (pair === null) out.push([o.name, o.negated, o.args.map(hexKey)]);
      else out.push(['set-xmark', false, [`0x${pair[0].toString(16)}/0x${pair[1].toString(16)}`]]);
    }
    return out;
  }
  const out: KeyOption[] = options.map((o) => [o.name, o.negated, o.args]);
  if (name === 'REJECT' && !options.some((o) => o.name === 'reject-with')) {
    out.push(['reject-with', false, [family === 6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable']]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The family of a rule from its addresses, else `fallback`. */
function ruleFamily(rule: IptablesRule, fallback: 4 | 6): 4 | 6 {
  return ruleAddressFamily(rule) ?? fallback;
}

/**
 * A key that is equal for the same rule as kube-proxy writes it and as iptables-save prints it:
 * builtin matches in a fixed order with host prefixes added, modules in order by name with their
 * options sorted and defaults dropped, MARK targets as xmark pairs, REJECT's default reject-with,
 * probabilities as the kernel's 32-bit fraction, ports under one name. Includes the chain.
 */
export function canonicalRuleKey(rule: IptablesRule, family: 4 | 6 | null = null): string {
  const fam = family ?? ruleFamily(rule, 4);
  const builtin: KeyOption[] = [];
  const modules: [string, KeyOption[]][] = [];
  for (const m of rule.matches) {
    if (m.module === '') {
      for (const o of m.options) {
        let args = o.args;
        if (o.name === 'source' || o.name === 'destination') args = args.map(cidrKey);
        else if (o.name === 'protocol') args = args.map(protocolName);
        builtin.push([o.name, o.negated, args]);
      }
    } else {
      modules.push([m.module, moduleOptions(m.module, m.options, fam)]);
    }
  }
  const order = (name: string): number => {
    const i = BUILTIN_SHORT.findIndex(([long]) => long === name);
    return i < 0 ? BUILTIN_SHORT.length : i;
  };
  builtin.sort((a, b) => order(a[0]) - order(b[0]));
  // Stable sort: repeated modules (`-m mark … -m mark …`) keep their relative order.
  modules.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const target =
    rule.target === null
      ? null
      : [
          rule.target.goto ? 'goto' : 'jump',
          rule.target.name,
          targetOptions(rule.target.name, rule.target.options, fam).map(optionKey).join(SEP.option),
        ];
  // Joined with control characters rather than JSON: this runs for every rule of both sides of a diff.
  let key = rule.chain + SEP.part + builtin.map(optionKey).join(SEP.option);
  for (const [name, options] of modules)
    key += SEP.part + name + SEP.module + options.map(optionKey).join(SEP.option);
  if (target !== null) key += SEP.part + SEP.target + target.join(SEP.arg);
  return key;
}
