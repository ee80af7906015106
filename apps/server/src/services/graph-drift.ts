// Expected vs actual through core's diff, turned into plain findings: per Service port the
// endpoints and entry points that differ, then the probability and rule-level differences that
// the endpoints do not already explain, then shared chains and rules no Service explains.
import { diffDataplanes, iptablesDriftChains, nftDriftChains } from '@svcpath/core';
import type {
  DriftInput,
  DriftReport,
  GraphEntry,
  GraphResult,
  NodeDataplane,
  ServiceDrift,
} from '@svcpath/core';
import type { DriftItem } from './engine.js';

/** Rule-level comparison where core has an adapter for the dump (iptables, nftables), graph-level elsewhere. */
function driftInput(dp: NodeDataplane, graph: GraphResult, rules: 'iptables' | 'nft' | null): DriftInput {
  // The graphs are the model's cached ones: the adapters' own graphs would be built twice.
  if (rules === 'nft' && dp.nft) return { graph, chains: nftDriftChains(dp.nft) };
  if (rules === 'iptables' && dp.iptables) return { graph, chains: iptablesDriftChains(dp.iptables) };
  return { graph, chains: [] };
}

export function diffNode(
  expected: { dataplane: NodeDataplane; graph: GraphResult },
  actual: { dataplane: NodeDataplane; graph: GraphResult },
): DriftItem[] {
  // Chains are compared when both sides are nftables rulesets, or both iptables rulesets (iptables
  // mode, or IPVS mode's companion rules); IPVS virtual servers are compared through the graphs.
  const rules =
    expected.dataplane.nft !== undefined && actual.dataplane.nft !== undefined
      ? 'nft'
      : expected.dataplane.iptables !== undefined && actual.dataplane.iptables !== undefined
        ? 'iptables'
        : null;
  const report = diffDataplanes(
    driftInput(expected.dataplane, expected.graph, rules),
    driftInput(actual.dataplane, actual.graph, rules),
  );
  return driftItems(report);
}

const pct = (p: number): string => `${Math.round(p * 1000) / 10}%`;
const entryText = (e: GraphEntry): string => `${e.kind} ${e.ip ?? '*'}:${e.port}`;

export function driftItems(report: DriftReport): DriftItem[] {
  const out: DriftItem[] = [];
  for (const s of report.services) out.push(...serviceItems(s));
  for (const c of report.chains) {
    if (c.service !== null) continue;
    const n = c.missingRules.length + c.extraRules.length;
    out.push({
      service: '',
      code: `chain-${c.status}`,
      message: `${c.table} chain ${c.chain} is ${c.status === 'changed' ? `different (${n} rule(s)${c.reordered ? ', reordered' : ''})` : c.status === 'missing' ? 'missing on the node' : 'left on the node but not expected'}`,
    });
  }
  for (const r of report.unexplainedRules)
    out.push({
      service: r.service ?? '',
      code: 'unexplained-rule',
      message: `rule no Service explains: ${r.text}`,
    });
  return out;
}

function serviceItems(s: ServiceDrift): DriftItem[] {
  const label = `${s.service} (${s.protocol})`;
  const item = (code: string, message: string): DriftItem => ({
    service: s.service,
    code,
    message: `${label}: ${message}`,
  });
  if (s.status === 'missing') return [item('missing-service', 'expected, but the node has no rules for it')];
  if (s.status === 'extra')
    return [
      item('unexpected-service', 'programmed on the node, but no such Service port exists in the cluster'),
    ];
  const out: DriftItem[] = [
    ...s.missingEndpoints.map((a) =>
      item('missing-endpoint', `endpoint ${a} is in the cluster but not programmed on the node`),
    ),
    ...s.extraEndpoints.map((a) =>
      item('stale-endpoint', `endpoint ${a} is programmed on the node but no longer in the cluster`),
    ),
    ...s.missingEntries.map((e) => item('missing-entry', `entry ${entryText(e)} is missing on the node`)),
    ...s.extraEntries.map((e) =>
      item('extra-entry', `entry ${entryText(e)} is on the node but not expected`),
    ),
  ];
  // When the endpoint set differs, the shares and chains differ as a consequence: say it once.
  if (out.length > 0) return out;
  for (const p of s.probabilityChanges)
    out.push(
      item(
        'probability',
        `endpoint ${p.address} gets ${pct(p.actual)} of new connections instead of ${pct(p.expected)}`,
      ),
    );
  for (const c of s.chains)
    out.push(
      item(
        `chain-${c.status}`,
        `${c.table} chain ${c.chain}: ${c.missingRules.length} expected rule(s) missing, ${c.extraRules.length} unexpected${c.reordered ? ', rules reordered' : ''}`,
      ),
    );
  return out;
}
