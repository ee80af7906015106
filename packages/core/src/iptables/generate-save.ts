// The whole ruleset as `iptables-save` shows it on a node running only kube-proxy: builtin chains
// with policies, kube-proxy's hook jumps, canary chains, and every rule in the kernel's rewritten
// form (KUBE-PROXY.md §3.1, §3.13).
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

/** Splits a rule into words, keeping double-quoted strings (quotes removed) as one word. */
export function splitRuleWords(rule: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) words.push(m[1] !== undefined ? m[1] : (m[2] ?? ''));
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

const withPrefix = (addr: string, family: 4 | 6): string =>
  addr.includes('/') ? addr : `${addr}/${family === 4 ? 32 : 128}`;

/** The kernel's fixed-point probability, printed with 11 decimals as libxt_statistic does. */
export const kernelProbability = (p: string): string =>
  formatFixedGo(Math.round(0x80000000 * Number.parseFloat(p)) / 0x80000000, 11);

function renderMatch(module: string, opts: string[], family: 4 | 6): string[] {
  const get = (name: string): string | undefined => {
    const i = opts.indexOf(name);
    return i >= 0 ? opts[i + 1] : undefined;
  };
  switch (module) {
    case 'comment':
      return ['-m comment --comment', `"${get('--comment') ?? ''}"`];
    case 'statistic': {
      const p = get('--probability');
      return p === undefined
        ? ['-m statistic', ...opts]
        : ['-m statistic --mode random --probability', kernelProbability(p)];
    }
    case 'recent': {
      const mask = family === 4 ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
      const name = get('--name') ?? 'DEFAULT';
      if (opts.includes('--set')) return [`-m recent --set --name ${name} --mask ${mask} --rsource`];
      const seconds = get('--seconds');
      return [
        '-m recent --rcheck',
        ...(seconds !== undefined ? [`--seconds ${seconds}`] : []),
        ...(opts.includes('--reap') ? ['--reap'] : []),
        `--name ${name} --mask ${mask} --rsource`,
      ];
    }
    case 'mark': {
      const out = opts.map((w) =>
        /^0x[0-9a-f]+\/0x[0-9a-f]+$/i.test(w) ? w.split('/').map(hexNorm).join('/') : w,
      );
      return ['-m mark', ...out];
    }
    default:
      return [`-m ${module}`, ...opts];
  }
}

function renderTarget(target: string, opts: string[], family: 4 | 6): string[] {
  if (target === 'MARK') {
    const v = opts[1] ?? '0x0';
    if (opts[0] === '--or-mark') return ['-j MARK --set-xmark', `${hexNorm(v)}/${hexNorm(v)}`];
    if (opts[0] === '--xor-mark') return ['-j MARK --set-xmark', `${hexNorm(v)}/0x0`];
  }
  if (target === 'REJECT' && opts.length === 0) {
    return [`-j REJECT --reject-with ${family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`];
  }
  return [`-j ${target}`, ...opts];
}

/** Rewrites one `-A CHAIN …` rule the way iptables-save prints it back. */
export function toSaveForm(rule: string, family: 4 | 6): string {
  const words = splitRuleWords(rule);
  const chain = words[1] ?? '';
  const builtin: Record<string, string> = {};
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
      builtin[flag] = `${negate ? '! ' : ''}-${flag} ${v}`;
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
  const parts = [`-A ${chain}`];
  for (const f of ['s', 'd', 'i', 'o', 'p']) if (builtin[f] !== undefined) parts.push(builtin[f]);
  for (const m of matches) parts.push(...renderMatch(m.module, m.opts, family));
  if (target) parts.push(...renderTarget(target.name, target.opts, family));
  return parts.join(' ');
}

function renderTable(ctx: GenerateContext, name: string, buf: TableBuffer | null): string[] {
  const builtins = BUILTINS[name] ?? [];
  const userChains = [...(buf?.chains ?? []), 'KUBE-PROXY-CANARY'].sort();
  const rules = [...hookRules(ctx, name), ...(buf?.rules ?? [])].map((r) => toSaveForm(r, ctx.family));
  const byChain = new Map<string, string[]>();
  for (const r of rules) {
    const chain = r.split(' ')[1] ?? '';
    const list = byChain.get(chain) ?? [];
    list.push(r);
    byChain.set(chain, list);
  }
  const order = [...builtins, ...userChains];
  return [
    `*${name}`,
    ...builtins.map((c) => `:${c} ACCEPT [0:0]`),
    ...userChains.map((c) => `:${c} - [0:0]`),
    ...order.flatMap((c) => byChain.get(c) ?? []),
    'COMMIT',
  ];
}

export function renderSave(ctx: GenerateContext, filter: TableBuffer, nat: TableBuffer): string {
  return `${[...renderTable(ctx, 'mangle', null), ...renderTable(ctx, 'filter', filter), ...renderTable(ctx, 'nat', nat)].join('\n')}\n`;
}
