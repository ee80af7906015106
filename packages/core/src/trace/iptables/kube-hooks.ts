import type { IptablesChain, IptablesRule, IptablesRuleset, IptablesTable } from '../../iptables/types.js';

/**
 * kube-proxy's jumps from the builtin chains (KUBE-PROXY.md §3.1), in the order a live node
 * shows them. Restore input and `-S` excerpts hold kube-proxy's chains but not these jumps;
 * the tracer adds the missing ones so such a dump can still be traced (with a warning).
 */
const STANDARD_JUMPS: Array<{ table: string; chain: string; text: string; target: string }> = [
  {
    table: 'nat',
    chain: 'PREROUTING',
    target: 'KUBE-SERVICES',
    text: '-m comment --comment "kubernetes service portals"',
  },
  {
    table: 'nat',
    chain: 'OUTPUT',
    target: 'KUBE-SERVICES',
    text: '-m comment --comment "kubernetes service portals"',
  },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    target: 'KUBE-POSTROUTING',
    text: '-m comment --comment "kubernetes postrouting rules"',
  },
  {
    table: 'filter',
    chain: 'INPUT',
    target: 'KUBE-PROXY-FIREWALL',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"',
  },
  {
    table: 'filter',
    chain: 'INPUT',
    target: 'KUBE-NODEPORTS',
    text: '-m comment --comment "kubernetes health check service ports"',
  },
  {
    table: 'filter',
    chain: 'INPUT',
    target: 'KUBE-EXTERNAL-SERVICES',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"',
  },
  { table: 'filter', chain: 'INPUT', target: 'KUBE-FIREWALL', text: '' },
  {
    table: 'filter',
    chain: 'FORWARD',
    target: 'KUBE-PROXY-FIREWALL',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"',
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    target: 'KUBE-FORWARD',
    text: '-m comment --comment "kubernetes forwarding rules"',
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    target: 'KUBE-SERVICES',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"',
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    target: 'KUBE-EXTERNAL-SERVICES',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"',
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    target: 'KUBE-PROXY-FIREWALL',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"',
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    target: 'KUBE-SERVICES',
    text: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"',
  },
  { table: 'filter', chain: 'OUTPUT', target: 'KUBE-FIREWALL', text: '' },
];

function syntheticRule(
  table: string,
  chain: string,
  index: number,
  text: string,
  target: string,
): IptablesRule {
  const matches: IptablesRule['matches'] = [];
  if (text.includes('--ctstate NEW')) {
    matches.push({ module: 'conntrack', options: [{ name: 'ctstate', negated: false, args: ['NEW'] }] });
  }
  const comment = /--comment "([^"]*)"/.exec(text)?.[1] ?? null;
  if (comment !== null)
    matches.push({ module: 'comment', options: [{ name: 'comment', negated: false, args: [comment] }] });
  return {
    table,
    chain,
    index,
    line: 0,
    text: `-A ${chain} ${text ? `${text} ` : ''}-j ${target}`,
    counters: null,
    matches,
    target: { name: target, goto: false, options: [] },
    comment,
  };
}

function jumpsTo(chain: IptablesChain | undefined, target: string): boolean {
  return !!chain?.rules.some((r) => r.target?.name === target);
}

/**
 * Returns the ruleset with kube-proxy's standard jumps added where the dump has kube-proxy's
 * chains but nothing jumps to them from the builtin chains, and the list of what was added.
 */
const completed = new WeakMap<IptablesRuleset, { ruleset: IptablesRuleset; added: string[] }>();

export function withKubeProxyHooks(rs: IptablesRuleset): { ruleset: IptablesRuleset; added: string[] } {
  // Computed once per ruleset, so that the chain indexes built on the result are reused too.
  const cached = completed.get(rs);
  if (cached) return cached;
  const result = addMissingHooks(rs);
  completed.set(rs, result);
  return result;
}

function addMissingHooks(rs: IptablesRuleset): { ruleset: IptablesRuleset; added: string[] } {
  const added: string[] = [];
  const tables = new Map(rs.tables);
  for (const j of STANDARD_JUMPS) {
    const table = tables.get(j.table);
    if (!table?.chains.has(j.target)) continue;
    const hook = table.chains.get(j.chain);
    if (jumpsTo(hook, j.target)) continue;
    // Only fill in when the dump has no jump to this chain from any builtin chain: a real
    // node that lacks it is misconfigured, and the trace must show that, not hide it.
    const original = rs.tables.get(j.table);
    const referenced = [...(original?.chains.values() ?? [])].some((c) => c.builtin && jumpsTo(c, j.target));
    if (referenced) continue;
    const copy: IptablesTable =
      tables.get(j.table) === rs.tables.get(j.table) ? { ...table, chains: new Map(table.chains) } : table;
    tables.set(j.table, copy);
    const base: IptablesChain = copy.chains.get(j.chain) ?? {
      name: j.chain,
      builtin: true,
      policy: 'ACCEPT',
      counters: null,
      line: null,
      rules: [],
    };
    const rules = [...base.rules];
    rules.push(syntheticRule(j.table, j.chain, rules.length + 1, j.text, j.target));
    copy.chains.set(j.chain, { ...base, rules });
    added.push(`${j.table} ${j.chain} → ${j.target}`);
  }
  return { ruleset: added.length ? { ...rs, tables } : rs, added };
}
