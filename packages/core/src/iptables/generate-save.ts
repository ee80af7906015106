// The whole ruleset as `iptables-save` shows it on a node running only kube-proxy: builtin chains
// with policies, kube-proxy's hook jumps, canary chains, and every rule in the kernel's rewritten
// form (KUBE-PROXY.md §3.1, §3.13).
import { hostCidr } from '../common/ip.js';
import { formatFixedGo } from '../naming/probability.js';
import type { TableBuffer } from './generate-buffer.js';
import type { GenerateContext } from './generate-context.js';

const BUILTINS: Record<string, string[]> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

const NEW = '-m conntrack --ctstate NEW';

/** Hook jumps in the order a live node lists them (each was prepended with `iptables -I`). */
function hookRules(ctx: GenerateContext, table: string): string[] {
  const fw = (hook: string) =>
    `-A ${hook} ${NEW} -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL`;
  const kubeletFirewall = ctx.family === 4 && ctx.localhostNodePorts;
  if (table === 'filter') {
    return [
      fw('INPUT'),
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      `-A INPUT ${NEW} -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES`,
      ...(kubeletFirewall ? ['-A INPUT -j KUBE-FIREWALL'] : []),
      fw('FORWARD'),
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      `-A FORWARD ${NEW} -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`,
      `-A FORWARD ${NEW} -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES`,
      fw('OUTPUT'),
      `-A OUTPUT ${NEW} -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`,
      ...(kubeletFirewall ? ['-A OUTPUT -j KUBE-FIREWALL'] : []),
    ];
  }
  if (table === 'nat') {
    return [
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ];
  }
  return [];
}

// JavaScript's `\s`, the separator of `splitRuleWords`.
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Splits a rule into words, keeping double-quoted strings (quotes removed, backslash escapes kept)
 * as one word; an unterminated quote starts a plain word. A scanner rather than a regular
 * expression: it runs once per generated rule.
 */
export function splitRuleWords(rule: string): string[] {
  const words: string[] = [];
  const n = rule.length;
  let i = 0;
  while (i < n) {
    const c = rule.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 34) {
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = rule.charCodeAt(j);
        if (d === 34) {
          closed = true;
          break;
        }
        if (d === 92) {
          if (j + 1 >= n || isLineTerminator(rule.charCodeAt(j + 1))) break;
          j += 2;
          continue;
        }
        j++;
      }
      if (closed) {
        words.push(rule.slice(i + 1, j));
        i = j + 1;
        continue;
      }
    }
    let j = i + 1;
    while (j < n && !isSpace(rule.charCodeAt(j))) j++;
    words.push(rule.slice(i, j));
    i = j;
  }
  return words;
}

const BUILTIN_FLAGS: Record<string, string> = {
  '-s': 's',
  '--source': 's',
  '-d': 'd',
  '--destination': 'd',
  '-i': 'i',
  '--in-interface': 'i',
  '-o': 'o',
  '--out-interface': 'o',
  '-p': 'p',
  '--protocol': 'p',
};

const hexNorm = (v: string): string => {
  const n = Number.parseInt(v, 16);
  return Number.isNaN(n) ? v : `0x${n.toString(16)}`;
};

export const withPrefix = (addr: string, family: 4 | 6): string =>
  addr.includes('/') ? addr : hostCidr(addr, family);

/** The kernel's fixed-point probability, printed with 11 decimals as libxt_statistic does. */
export function kernelProbability(p: string): string {
  let k = kernelProbabilities.get(p);
  if (k === undefined) {
    k = formatFixedGo(Math.round(0x80000000 * Number.parseFloat(p)) / 0x80000000, 11);
    // Written probabilities are 1/n for small n: few distinct strings.
    if (kernelProbabilities.size < 100_000) kernelProbabilities.set(p, k);
  }
  return k;
}
const kernelProbabilities = new Map<string, string>();

/** Appends ` word` for each word, as joining the words with spaces would. */
function appendWords(out: string, words: readonly string[]): string {
  for (const w of words) out += ` ${w}`;
  return out;
}

function renderMatch(out: string, module: string, opts: string[], family: 4 | 6): string {
  const get = (name: string): string | undefined => {
    const i = opts.indexOf(name);
    return i >= 0 ? opts[i + 1] : undefined;
  };
  switch (module) {
    case 'comment':
      return `${out} -m comment --comment "${get('--comment') ?? ''}"`;
    case 'statistic': {
      const p = get('--probability');
      return p === undefined
        ? appendWords(`${out} -m statistic`, opts)
        : `${out} -m statistic --mode random --probability ${kernelProbability(p)}`;
    }
    case 'recent': {
      const mask = family === 4 ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
      const name = get('--name') ?? 'DEFAULT';
      if (opts.includes('--set')) return `${out} -m recent --set --name ${name} --mask ${mask} --rsource`;
      const seconds = get('--seconds');
      out += ' -m recent --rcheck';
      if (seconds !== undefined) out += ` --seconds ${seconds}`;
      if (opts.includes('--reap')) out += ' --reap';
      return `${out} --name ${name} --mask ${mask} --rsource`;
    }
    case 'mark': {
      out += ' -m mark';
      for (const w of opts)
        out += ` ${/^0x[0-9a-f]+\/0x[0-9a-f]+$/i.test(w) ? w.split('/').map(hexNorm).join('/') : w}`;
      return out;
    }
    default:
      return appendWords(`${out} -m ${module}`, opts);
  }
}

function renderTarget(out: string, target: string, opts: string[], family: 4 | 6): string {
  if (target === 'MARK') {
    const v = opts[1] ?? '0x0';
    if (opts[0] === '--or-mark') return `${out} -j MARK --set-xmark ${hexNorm(v)}/${hexNorm(v)}`;
    if (opts[0] === '--xor-mark') return `${out} -j MARK --set-xmark ${hexNorm(v)}/0x0`;
  }
  if (target === 'REJECT' && opts.length === 0) {
    return `${out} -j REJECT --reject-with ${family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`;
  }
  return appendWords(`${out} -j ${target}`, opts);
}

/** Rewrites one `-A CHAIN …` rule the way iptables-save prints it back. */
export function toSaveForm(rule: string, family: 4 | 6): string {
  const words = splitRuleWords(rule);
  const chain = words[1] ?? '';
  // The builtin matches, printed first in this order whatever their place in the rule.
  let s: string | undefined;
  let d: string | undefined;
  let inIf: string | undefined;
  let outIf: string | undefined;
  let p: string | undefined;
  const matches: Array<{ module: string; opts: string[] }> = [];
  let target: { name: string; opts: string[] } | null = null;
  let negate = false;
  for (let i = 2; i < words.length; i++) {
    const w = words[i] ?? '';
    if (target) {
      target.opts.push(w);
      continue;
    }
    if (w === '!') {
      negate = true;
      continue;
    }
    const flag = BUILTIN_FLAGS[w];
    if (flag !== undefined) {
      let v = words[++i] ?? '';
      if (flag === 's' || flag === 'd') v = withPrefix(v, family);
      const text = `${negate ? '! ' : ''}-${flag} ${v}`;
      if (flag === 's') s = text;
      else if (flag === 'd') d = text;
      else if (flag === 'i') inIf = text;
      else if (flag === 'o') outIf = text;
      else if (flag === 'p') p = text;
      negate = false;
    } else if (w === '-m' || w === '--match') {
      matches.push({ module: words[++i] ?? '', opts: [] });
    } else if (w === '-j' || w === '--jump') {
      target = { name: words[++i] ?? '', opts: [] };
    } else {
      const m = matches[matches.length - 1];
      if (m) {
        if (negate) m.opts.push('!');
        m.opts.push(w);
      }
      negate = false;
    }
  }
  let out = `-A ${chain}`;
  if (s !== undefined) out += ` ${s}`;
  if (d !== undefined) out += ` ${d}`;
  if (inIf !== undefined) out += ` ${inIf}`;
  if (outIf !== undefined) out += ` ${outIf}`;
  if (p !== undefined) out += ` ${p}`;
  for (const m of matches) out = renderMatch(out, m.module, m.opts, family);
  if (target) out = renderTarget(out, target.name, target.opts, family);
  return out;
}

/** Appends one table in save form to `lines`. */
function renderTable(ctx: GenerateContext, name: string, buf: TableBuffer | null, lines: string[]): void {
  const builtins = BUILTINS[name] ?? [];
  const userChains = [...(buf?.chains ?? []), 'KUBE-PROXY-CANARY'].sort();
  const byChain = new Map<string, string[]>();
  const add = (rule: string, known: string | undefined) => {
    const r = known ?? toSaveForm(rule, ctx.family);
    // The chain is the second space-separated word of the rewritten rule (it starts with `-A `).
    const end = r.indexOf(' ', 3);
    const chain = end < 0 ? r.slice(3) : r.slice(3, end);
    const list = byChain.get(chain);
    if (list) list.push(r);
    else byChain.set(chain, [r]);
  };
  for (const r of hookRules(ctx, name)) add(r, undefined);
  if (buf) buf.rules.forEach((r, i) => add(r, buf.saveForms?.[i]));
  lines.push(`*${name}`);
  for (const c of builtins) lines.push(`:${c} ACCEPT [0:0]`);
  for (const c of userChains) lines.push(`:${c} - [0:0]`);
  for (const c of [...builtins, ...userChains]) {
    const list = byChain.get(c);
    if (list) for (const r of list) lines.push(r);
  }
  lines.push('COMMIT');
}

export function renderSave(ctx: GenerateContext, filter: TableBuffer, nat: TableBuffer): string {
  const lines: string[] = [];
  renderTable(ctx, 'mangle', null, lines);
  renderTable(ctx, 'filter', filter, lines);
  renderTable(ctx, 'nat', nat, lines);
  lines.push('');
  return lines.join('\n');
}
