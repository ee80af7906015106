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
  // Outcomes are bucketed by a cheap key and compared field by field inside a bucket: a trace has
  // few outcomes that could merge, and building a full key of every path costs more than the trace.
  const buckets = new Map<string, TraceOutcome[]>();
  const merged: TraceOutcome[] = [];
  for (const o of outcomes) {
    const key = `${o.verdict} ${o.dnat ?? ''} ${o.masquerade ? 1 : 0} ${o.path.length} ${o.assumptions.length}`;
    const bucket = buckets.get(key);
    const seen = bucket?.find((b) => sameExceptProbability(b, o));
    if (seen) {
      seen.probability += o.probability;
      continue;
    }
    const copy = { ...o };
    merged.push(copy);
    if (bucket) bucket.push(copy);
    else buckets.set(key, [copy]);
  }
  return merged.sort((a, b) => b.probability - a.probability);
}

function sameExceptProbability(a: TraceOutcome, b: TraceOutcome): boolean {
  if (a.verdict !== b.verdict || a.dnat !== b.dnat || a.masquerade !== b.masquerade) return false;
  if (a.affinity?.key !== b.affinity?.key || a.affinity?.timeoutSeconds !== b.affinity?.timeoutSeconds)
    return false;
  if (a.path.length !== b.path.length || a.assumptions.length !== b.assumptions.length) return false;
  for (let i = 0; i < a.path.length; i++) {
    const x = a.path[i];
    const y = b.path[i];
    if (!x || !y) return false;
    if (x.table !== y.table || x.chain !== y.chain || x.rule !== y.rule || x.action !== y.action)
      return false;
  }
  return a.assumptions.every((x, i) => JSON.stringify(x) === JSON.stringify(b.assumptions[i]));
}
