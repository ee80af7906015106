// rr and wrr: stateful rotations, so a single connection's server depends on what came before;
// over many connections each server gets a fixed share, which is what we report.
import { isUnavailable } from './availability.js';
import type { ScheduleResult, ScheduledService } from './types.js';

/**
 * rr (ip_vs_rr.c): walks the server list from where the previous connection stopped, skipping
 * quiesced (weight 0) and overloaded servers. Long-run share: equal over the usable servers,
 * whatever their weights.
 */
export function scheduleRoundRobin(svc: ScheduledService): ScheduleResult {
  const usable = svc.realServers.filter((rs) => !isUnavailable(rs));
  const skipped = svc.realServers.length - usable.length;
  return {
    choices: usable.map((server) => ({ server, probability: 1 / usable.length })),
    explanation:
      usable.length === 0
        ? 'rr: no usable real server (all quiesced or overloaded)'
        : `rr: round robin over ${usable.length} usable server(s), 1/${usable.length} each over many connections` +
          (skipped > 0 ? `; ${skipped} quiesced or overloaded server(s) skipped` : ''),
    deterministic: false,
  };
}

/**
 * wrr (ip_vs_wrr.c): interleaved weighted round robin — a current-weight threshold steps down by
 * the gcd of the weights from the maximum weight, and each pass picks the servers whose weight
 * reaches it. Over a full cycle a server gets weight/sum(weights) of the connections.
 */
export function scheduleWeightedRoundRobin(svc: ScheduledService): ScheduleResult {
  const usable = svc.realServers.filter((rs) => !isUnavailable(rs));
  const total = usable.reduce((s, rs) => s + rs.weight, 0);
  return {
    choices: usable.map((server) => ({ server, probability: server.weight / total })),
    explanation:
      usable.length === 0
        ? 'wrr: no usable real server (all quiesced or overloaded)'
        : `wrr: weighted round robin, share = weight / ${total} over many connections`,
    deterministic: false,
  };
}
