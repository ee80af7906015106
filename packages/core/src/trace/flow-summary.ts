import type { TraceResult } from './types.js';

/**
 * A trace reduced to what kube-proxy's own test tracer reports for a packet flow: the
 * endpoints it can reach (sorted), or DROP / REJECT, or ACCEPT when a rule (not a policy)
 * accepted it without DNAT, or '' when no rule decided; and whether it is masqueraded.
 */
export function summarizeFlow(result: TraceResult): { output: string[]; masq: boolean } {
  const accepted = result.outcomes.filter((o) => o.verdict === 'ACCEPT');
  const dnat = [...new Set(accepted.flatMap((o) => (o.dnat ? [o.dnat] : [])))].sort();
  if (dnat.length) {
    const masq = accepted.some((o) => o.dnat !== null && o.masquerade);
    return { output: dnat, masq };
  }
  const denied = result.outcomes.find((o) => o.verdict === 'DROP' || o.verdict === 'REJECT');
  if (denied) return { output: [denied.verdict], masq: false };
  const explicit = accepted.some((o) => o.path.some((s) => s.rule !== null && /^ACCEPT\b/.test(s.action)));
  return { output: explicit ? ['ACCEPT'] : [], masq: accepted.some((o) => o.masquerade) };
}

/** Parses a flow's expected `output` (`"10.180.0.4:80, 10.180.0.5:80"`, `"DROP"`, `""`). */
export function parseFlowOutput(output: string): string[] {
  return output
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .sort();
}
