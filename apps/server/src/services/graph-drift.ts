// Expected vs actual, compared on core's graphs: Service ports present in one and not the
// other, endpoints added or missing, effective probabilities that differ. (Used until core's
// diff module provides a rule-level comparison.)
import type { GraphResult, ServiceGraph } from '@svcpath/core';
import type { DriftItem } from './engine.js';

const TOLERANCE = 1e-6;

export function diffServiceGraphs(expected: GraphResult, actual: GraphResult): DriftItem[] {
  const key = (g: ServiceGraph) => `${g.service}/${g.protocol}`;
  const exp = new Map(expected.services.map((g) => [key(g), g]));
  const act = new Map(actual.services.map((g) => [key(g), g]));
  const out: DriftItem[] = [];
  for (const [k, e] of exp) {
    const a = act.get(k);
    const label = `${e.service} (${e.protocol})`;
    if (!a) {
      if (e.endpoints.length > 0)
        out.push({
          service: e.service,
          code: 'missing-service',
          message: `${label} has no rules on the node, but has ${e.endpoints.length} endpoint(s) in the cluster`,
        });
      continue;
    }
    const ae = new Map(a.endpoints.map((x) => [x.address, x.probability]));
    const ee = new Map(e.endpoints.map((x) => [x.address, x.probability]));
    for (const [addr] of ee)
      if (!ae.has(addr))
        out.push({
          service: e.service,
          code: 'missing-endpoint',
          message: `${label}: endpoint ${addr} is in the cluster but not programmed on the node`,
        });
    for (const [addr] of ae)
      if (!ee.has(addr))
        out.push({
          service: e.service,
          code: 'stale-endpoint',
          message: `${label}: endpoint ${addr} is programmed on the node but no longer in the cluster`,
        });
    for (const [addr, p] of ee) {
      const q = ae.get(addr);
      if (q !== undefined && Math.abs(p - q) > TOLERANCE && ae.size === ee.size)
        out.push({
          service: e.service,
          code: 'probability',
          message: `${label}: endpoint ${addr} gets ${fmt(q)} of new connections instead of ${fmt(p)}`,
        });
    }
  }
  for (const [k, a] of act) {
    if (!exp.has(k))
      out.push({
        service: a.service,
        code: 'unexpected-service',
        message: `${a.service} (${a.protocol}) has rules on the node but no such Service port exists in the cluster`,
      });
  }
  return out;
}

const fmt = (p: number): string => `${Math.round(p * 1000) / 10}%`;
