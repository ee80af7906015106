import { buildNftGraph } from '../nftables/graph.js';
import { renderStatements } from '../nftables/render.js';
import type { NftRuleset, NftSetElement, NftTable } from '../nftables/types.js';
import type { DriftChainInput, DriftInput, DriftRuleInput } from './types.js';

/** kube-proxy's per-service chains: `service-HASH-ns/name/proto/port` and the endpoint chains. */
const SERVICE_CHAIN =
  /^(?:service|local|external|firewall|endpoint)-[A-Z2-7]{8}-([^/]+)\/([^/]+)\/(?:tcp|udp|sctp)\/([^_]*)/;

function serviceOfChain(name: string): string | undefined {
  const m = SERVICE_CHAIN.exec(name);
  if (!m) return undefined;
  const [, ns, svc, port] = m;
  return port ? `${ns}/${svc}:${port}` : `${ns}/${svc}`;
}

function elementText(e: NftSetElement): string {
  const key = e.key.join(' . ');
  const comment = e.comment !== null ? ` comment "${e.comment}"` : '';
  if (e.value === null) return `${key}${comment}`;
  const value =
    'verdict' in e.value
      ? `${e.value.verdict}${e.value.target !== null ? ` ${e.value.target}` : ''}`
      : e.value.data.join(' . ');
  return `${key}${comment} : ${value}`;
}

function tableChains(t: NftTable): DriftChainInput[] {
  const table = `${t.family} ${t.name}`;
  const chains: DriftChainInput[] = [];
  for (const c of t.chains.values()) {
    const service = serviceOfChain(c.name);
    chains.push({
      table,
      chain: c.name,
      perService: service !== undefined,
      rules: c.rules.map((r) => {
        // The rendered statements are the same whether the rule came from kube-proxy's transaction,
        // from `nft list ruleset` or from `nft -j` JSON.
        const rule: DriftRuleInput = { key: renderStatements(r.statements), text: r.text };
        if (r.line !== null) rule.line = r.line;
        if (service !== undefined) rule.service = service;
        return rule;
      }),
    });
  }
  // Set and map elements carry most of kube-proxy's per-Service state; their order means nothing.
  for (const s of t.sets.values()) {
    chains.push({
      table,
      chain: `${s.kind} ${s.name}`,
      perService: false,
      rules: s.elements
        .map((e) => {
          const text = elementText(e);
          const rule: DriftRuleInput = { key: text, text };
          if (e.line !== null) rule.line = e.line;
          return rule;
        })
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    });
  }
  return chains;
}

/**
 * The diff's view of an nftables ruleset: its Service graph, and kube-proxy's table (`ip
 * kube-proxy`, `ip6 kube-proxy`) as chains of rendered rules plus its sets and maps as lists of
 * elements. Other tables (firewalls, CNI plugins) are not kube-proxy's and are left out.
 */
export function nftDriftInput(rs: NftRuleset): DriftInput {
  return { graph: buildNftGraph(rs), chains: nftDriftChains(rs) };
}

/** kube-proxy's table alone, for callers that already hold the ruleset's graph. */
export function nftDriftChains(rs: NftRuleset): DriftChainInput[] {
  return rs.tables.filter((t) => t.name === 'kube-proxy').flatMap(tableChains);
}
