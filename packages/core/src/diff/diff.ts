import type { GraphEntry, ServiceGraph } from '../graph/types.js';
import type {
  ChainDrift,
  DriftChainInput,
  DriftInput,
  DriftReport,
  DriftRule,
  DriftRuleInput,
  ProbabilityDrift,
  ServiceDrift,
} from './types.js';

/** Probabilities closer than this are the same (kernel fixed point vs 10 printed digits). */
export const PROBABILITY_TOLERANCE = 1e-6;

const CHAIN_NODE_KINDS = new Set(['service', 'local', 'external', 'firewall', 'endpoint-chain']);

const serviceKey = (s: { service: string; protocol: string }): string => `${s.service}|${s.protocol}`;
const chainKey = (c: { table: string; chain: string }): string => `${c.table}\u0000${c.chain}`;
const entryKey = (e: GraphEntry): string => `${e.kind}|${e.ip ?? '*'}|${e.port}`;

function toDriftRule(c: DriftChainInput, r: DriftRuleInput): DriftRule {
  const d: DriftRule = { table: c.table, chain: c.chain, text: r.text };
  if (r.line !== undefined) d.line = r.line;
  if (r.service !== undefined) d.service = r.service;
  return d;
}

/** Rules of `a` not matched (as a multiset, by key) by rules of `b`. */
function unmatched(a: DriftRuleInput[], b: DriftRuleInput[]): DriftRuleInput[] {
  const counts = new Map<string, number>();
  for (const r of b) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  const out: DriftRuleInput[] = [];
  for (const r of a) {
    const n = counts.get(r.key) ?? 0;
    if (n > 0) counts.set(r.key, n - 1);
    else out.push(r);
  }
  return out;
}

/** Which Service port owns each per-service chain, from the graphs (`table/chain` → service key). */
function chainOwners(...inputs: DriftInput[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const input of inputs) {
    for (const s of input.graph.services) {
      const key = serviceKey(s);
      for (const n of s.nodes) {
        if (!CHAIN_NODE_KINDS.has(n.kind)) continue;
        // Graph node ids are `chain:<table>:<name>` for iptables; other modes label chains by name.
        const tableEnd = n.id.startsWith('chain:') ? n.id.indexOf(':', 6) : -1;
        owners.set(tableEnd < 0 ? n.label : `${n.id.slice(6, tableEnd)}\u0000${n.label}`, key);
      }
    }
  }
  return owners;
}

function ownerOf(owners: Map<string, string>, c: DriftChainInput): string | null {
  return owners.get(chainKey(c)) ?? owners.get(c.chain) ?? null;
}

function compareChains(expected: DriftInput, actual: DriftInput, owners: Map<string, string>): ChainDrift[] {
  const exp = new Map(expected.chains.map((c) => [chainKey(c), c]));
  const act = new Map(actual.chains.map((c) => [chainKey(c), c]));
  const drifts: ChainDrift[] = [];
  const serviceOf = (c: DriftChainInput, rules: DriftRuleInput[]): string | null => {
    const owner = ownerOf(owners, c);
    if (owner !== null) return owner.slice(0, owner.lastIndexOf('|'));
    // A per-service chain no graph reaches (a stale endpoint chain): its rules' comments still name the Service.
    return c.perService ? (rules.find((r) => r.service !== undefined)?.service ?? null) : null;
  };
  for (const [k, e] of exp) {
    const a = act.get(k);
    if (a === undefined) {
      drifts.push({
        table: e.table,
        chain: e.chain,
        service: serviceOf(e, e.rules),
        status: e.builtin === true ? 'changed' : 'missing',
        missingRules: e.rules.map((r) => toDriftRule(e, r)),
        extraRules: [],
        reordered: false,
      });
      continue;
    }
    const missing = unmatched(e.rules, a.rules);
    const extra = unmatched(a.rules, e.rules);
    const reordered =
      e.perService &&
      missing.length === 0 &&
      extra.length === 0 &&
      e.rules.some((r, i) => r.key !== a.rules[i]?.key);
    if (missing.length === 0 && extra.length === 0 && !reordered) continue;
    drifts.push({
      table: e.table,
      chain: e.chain,
      service: serviceOf(e, [...e.rules, ...a.rules]),
      status: 'changed',
      missingRules: missing.map((r) => toDriftRule(e, r)),
      extraRules: extra.map((r) => toDriftRule(a, r)),
      reordered,
    });
  }
  for (const [k, a] of act) {
    if (exp.has(k)) continue;
    drifts.push({
      table: a.table,
      chain: a.chain,
      service: serviceOf(a, a.rules),
      status: a.builtin === true ? 'changed' : 'stale',
      missingRules: [],
      extraRules: a.rules.map((r) => toDriftRule(a, r)),
      reordered: false,
    });
  }
  return drifts;
}

function compareService(
  e: ServiceGraph | undefined,
  a: ServiceGraph | undefined,
  chains: ChainDrift[],
): ServiceDrift | null {
  const base = (e ?? a) as ServiceGraph;
  const eEntries = new Map((e?.entries ?? []).map((x) => [entryKey(x), x]));
  const aEntries = new Map((a?.entries ?? []).map((x) => [entryKey(x), x]));
  const eEps = new Map((e?.endpoints ?? []).map((x) => [x.address, x]));
  const aEps = new Map((a?.endpoints ?? []).map((x) => [x.address, x]));
  const probabilityChanges: ProbabilityDrift[] = [];
  for (const [address, x] of eEps) {
    const y = aEps.get(address);
    if (y !== undefined && Math.abs(x.probability - y.probability) > PROBABILITY_TOLERANCE) {
      probabilityChanges.push({ address, expected: x.probability, actual: y.probability });
    }
  }
  const drift: ServiceDrift = {
    service: base.service,
    protocol: base.protocol,
    status: e === undefined ? 'extra' : a === undefined ? 'missing' : 'changed',
    missingEntries: [...eEntries].filter(([k]) => !aEntries.has(k)).map(([, x]) => x),
    extraEntries: [...aEntries].filter(([k]) => !eEntries.has(k)).map(([, x]) => x),
    missingEndpoints: [...eEps.keys()].filter((k) => !aEps.has(k)),
    extraEndpoints: [...aEps.keys()].filter((k) => !eEps.has(k)),
    probabilityChanges,
    chains,
  };
  const same =
    drift.status === 'changed' &&
    drift.missingEntries.length === 0 &&
    drift.extraEntries.length === 0 &&
    drift.missingEndpoints.length === 0 &&
    drift.extraEndpoints.length === 0 &&
    probabilityChanges.length === 0 &&
    chains.length === 0;
  return same ? null : drift;
}

/**
 * Compares an expected dataplane with the actual one, by Service port (entries, endpoints,
 * effective probabilities) and by chain (chain names are deterministic hashes, so chains are
 * matched by name and rules by canonical key). Works for any mode whose adapter fills `DriftInput`.
 */
export function diffDataplanes(expected: DriftInput, actual: DriftInput): DriftReport {
  const owners = chainOwners(expected, actual);
  const chainDrifts = compareChains(expected, actual, owners);

  const eServices = new Map(expected.graph.services.map((s) => [serviceKey(s), s]));
  const aServices = new Map(actual.graph.services.map((s) => [serviceKey(s), s]));
  const keys = [...new Set([...eServices.keys(), ...aServices.keys()])].sort();
  const services: ServiceDrift[] = [];
  const byService = new Map<string, ChainDrift[]>();
  for (const c of chainDrifts) {
    if (c.service === null) continue;
    const list = byService.get(c.service) ?? [];
    list.push(c);
    byService.set(c.service, list);
  }
  const claimed = new Set<ChainDrift>();
  for (const k of keys) {
    const e = eServices.get(k);
    const a = aServices.get(k);
    const spn = (e ?? a)?.service ?? '';
    const chains = (byService.get(spn) ?? []).filter((c) => {
      // Chains go to the Service port of the same protocol when its graph has them.
      const owner = ownerOf(owners, { table: c.table, chain: c.chain, perService: false, rules: [] });
      return owner === null || owner === k;
    });
    for (const c of chains) claimed.add(c);
    const d = compareService(e, a, chains);
    if (d !== null) services.push(d);
  }
  // Stale chains whose comments name a Service port that neither graph has.
  for (const [spn, chains] of byService) {
    const rest = chains.filter((c) => !claimed.has(c));
    if (rest.length === 0) continue;
    services.push({
      service: spn,
      protocol: 'tcp',
      status: 'extra',
      missingEntries: [],
      extraEntries: [],
      missingEndpoints: [],
      extraEndpoints: [],
      probabilityChanges: [],
      chains: rest,
    });
  }

  const unexplainedRules = chainDrifts
    .filter((c) => c.service === null)
    .flatMap((c) => c.extraRules)
    .filter((r) => r.service === undefined || !keys.some((k) => k.startsWith(`${r.service ?? ''}|`)));

  const summary = {
    servicesCompared: keys.length,
    servicesDrifted: services.length,
    missingChains: chainDrifts.filter((c) => c.status === 'missing').length,
    staleChains: chainDrifts.filter((c) => c.status === 'stale').length,
    changedChains: chainDrifts.filter((c) => c.status === 'changed').length,
    missingRules: chainDrifts.reduce((n, c) => n + c.missingRules.length, 0),
    extraRules: chainDrifts.reduce((n, c) => n + c.extraRules.length, 0),
  };
  return {
    inSync: services.length === 0 && chainDrifts.length === 0,
    services,
    chains: chainDrifts,
    unexplainedRules,
    summary,
  };
}
