import { buildIptablesGraph } from '../graph/build-iptables.js';
import { readKubeComment, serviceChain } from '../graph/kube-comments.js';
import { canonicalRuleKey } from '../iptables/canonical.js';
import type { IptablesRule, IptablesRuleset } from '../iptables/types.js';
import type { DriftChainInput, DriftInput, DriftRuleInput } from './types.js';

/** Chains kube-proxy writes besides the per-service ones (KUBE-PROXY.md §3.1). */
const KUBE_PROXY_CHAINS = new Set([
  'KUBE-SERVICES',
  'KUBE-NODEPORTS',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-PROXY-FIREWALL',
  'KUBE-POSTROUTING',
  'KUBE-MARK-MASQ',
  'KUBE-FORWARD',
  'KUBE-FIREWALL',
  'KUBE-PROXY-CANARY',
]);

/** Whether kube-proxy owns a chain of this name (per-service prefixes or its fixed chains). */
export function isKubeProxyChain(name: string): boolean {
  return KUBE_PROXY_CHAINS.has(name) || serviceChain(name) !== null;
}

function ruleInput(rule: IptablesRule, family: 4 | 6 | null): DriftRuleInput {
  const r: DriftRuleInput = { key: canonicalRuleKey(rule, family), text: rule.text, line: rule.line };
  const spn = readKubeComment(rule.comment)?.spn;
  if (spn !== undefined) r.service = spn;
  return r;
}

/** The diff's view of an iptables ruleset: its Service graph and `iptablesDriftChains`. */
export function iptablesDriftInput(rs: IptablesRuleset): DriftInput {
  return { graph: buildIptablesGraph(rs), chains: iptablesDriftChains(rs) };
}

/**
 * kube-proxy's chains of the nat and filter tables with canonical rule keys, and, of the builtin
 * chains, only the jumps into kube-proxy's chains (the rest belongs to CNI plugins, Docker,
 * firewalls …). Callers that already hold the ruleset's graph pair it with these.
 */
export function iptablesDriftChains(rs: IptablesRuleset): DriftChainInput[] {
  const chains: DriftChainInput[] = [];
  for (const table of ['nat', 'filter']) {
    const t = rs.tables.get(table);
    if (t === undefined) continue;
    for (const c of t.chains.values()) {
      if (c.builtin) {
        const hooks = c.rules.filter((r) => r.target !== null && isKubeProxyChain(r.target.name));
        if (hooks.length > 0)
          chains.push({
            table,
            chain: c.name,
            perService: false,
            builtin: true,
            rules: hooks.map((r) => ruleInput(r, rs.family)),
          });
        continue;
      }
      if (!isKubeProxyChain(c.name)) continue;
      chains.push({
        table,
        chain: c.name,
        perService: serviceChain(c.name) !== null,
        rules: c.rules.map((r) => ruleInput(r, rs.family)),
      });
    }
  }
  return chains;
}
