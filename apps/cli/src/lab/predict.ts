// What the tracer says a new connection will do, in the terms the lab can observe.
import type { TraceNode, TraceOutcome, TracePacket, TraceResult } from '@svcpath/core';

/** The tracer for the mode the node runs: iptables or nftables. */
export type Tracer = (packet: TracePacket, node: TraceNode) => TraceResult;

/** Outcome keys: an endpoint `IP:PORT`, `refused` or `timeout`. */
export interface Prediction {
  shares: Map<string, number>;
  /** Masquerade per endpoint key; 'mixed' when outcomes to the same endpoint disagree. */
  masquerade: Map<string, boolean | 'mixed'>;
  affinity: boolean;
  /** Every outcome with its key, for comparing paths. */
  keyed: Array<{ key: string; outcome: TraceOutcome }>;
  /** Tracer warnings and undecided matches. */
  warnings: string[];
}

/**
 * How an outcome shows at the client: REJECT refuses; DROP stays silent; ACCEPT without DNAT
 * reaches the node itself, where nothing listens (refused), or is routed away (silence).
 */
export function outcomeKey(o: TraceOutcome, dstIsLocal: boolean): string {
  if (o.verdict === 'REJECT') return 'refused';
  if (o.verdict === 'DROP') return 'timeout';
  if (o.dnat !== null) return o.dnat;
  return dstIsLocal ? 'refused' : 'timeout';
}

export function predict(trace: Tracer, packet: TracePacket, localAddresses: readonly string[]): Prediction {
  const result = trace(packet, { localAddresses: [...localAddresses] });
  const dstIsLocal = localAddresses.includes(packet.dst) || packet.dst.startsWith('127.');
  const shares = new Map<string, number>();
  const masquerade = new Map<string, boolean | 'mixed'>();
  const warnings = [...result.warnings];
  let affinity = false;
  const keyed: Prediction['keyed'] = [];
  for (const o of result.outcomes) {
    const key = outcomeKey(o, dstIsLocal);
    keyed.push({ key, outcome: o });
    shares.set(key, (shares.get(key) ?? 0) + o.probability);
    const prev = masquerade.get(key);
    masquerade.set(key, prev === undefined || prev === o.masquerade ? o.masquerade : 'mixed');
    if (o.affinity) affinity = true;
    for (const a of o.assumptions) warnings.push(`undecided: ${a.match} (assumed ${a.assumed})`);
  }
  return { shares, masquerade, affinity, keyed, warnings: [...new Set(warnings)] };
}
