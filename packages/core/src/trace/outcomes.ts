import type { TraceOutcome, Verdict } from './types.js';

/** What a tracer's branch carries when it reaches a verdict (iptables and nftables alike). */
export type FinishedBranch = Pick<
  TraceOutcome,
  'probability' | 'dnat' | 'masquerade' | 'path' | 'assumptions' | 'affinity' | 'notes'
>;

export function finishOutcome(w: FinishedBranch, verdict: Verdict): TraceOutcome {
  return {
    probability: w.probability,
    verdict,
    dnat: w.dnat,
    masquerade: w.masquerade,
    path: w.path,
    assumptions: w.assumptions,
    affinity: w.affinity,
    notes: w.notes,
  };
}

/**
 * Outcomes that agree in everything but probability (same verdict, destination, masquerade, path
 * and assumptions) become one; the most likely come first, equal shares in rule order.
 */
export function mergeOutcomes(outcomes: readonly TraceOutcome[]): TraceOutcome[] {
  const byKey = new Map<string, TraceOutcome>();
  for (const o of outcomes) {
    const key = JSON.stringify([
      o.verdict,
      o.dnat,
      o.masquerade,
      o.path.map((s) => [s.table, s.chain, s.rule, s.action]),
      o.assumptions,
      o.affinity,
    ]);
    const seen = byKey.get(key);
    if (seen) seen.probability += o.probability;
    else byKey.set(key, { ...o });
  }
  return [...byKey.values()].sort((a, b) => b.probability - a.probability);
}
