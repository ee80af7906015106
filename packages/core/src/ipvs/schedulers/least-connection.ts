// Least-connection family: the next connection goes to one server chosen from the connection
// counts in the dump. The choice is exact for that snapshot; counts change with every connection.
import type { RealServer } from '../types.js';
import { isOverloaded, isUnavailable, ORDER_CAVEAT, serverLabel } from './availability.js';
import type { ScheduleResult, ScheduledService } from './types.js';

/** ip_vs_dest_conn_overhead(): an active connection costs 256 times an inactive one. */
export const connOverhead = (rs: RealServer): number => (rs.activeConns ?? 0) * 256 + (rs.inactConns ?? 0);

const countsKnown = (servers: RealServer[]): boolean =>
  servers.every((rs) => rs.activeConns !== null && rs.inactConns !== null);

function result(
  name: string,
  chosen: RealServer | null,
  why: string,
  servers: RealServer[],
  tie = false,
): ScheduleResult {
  if (!countsKnown(servers)) return unknownCounts(name, servers);
  if (!chosen) return { choices: [], explanation: `${name}: no usable real server`, deterministic: true };
  const tieNote = tie ? `; other servers tie and the first in list order wins (${ORDER_CAVEAT})` : '';
  return {
    choices: [{ server: chosen, probability: 1 }],
    explanation: `${name}: next connection → ${serverLabel(chosen)}, ${why}${tieNote}; later connections rebalance as counts change`,
    deterministic: true,
  };
}

/**
 * Without connection counts (`ipvsadm -S`, generated state) the next pick cannot be known; over
 * many connections of similar length these schedulers keep connections per server proportional
 * to weight, so that is what is reported.
 */
function unknownCounts(name: string, servers: RealServer[]): ScheduleResult {
  const usable = servers.filter((rs) => !isUnavailable(rs));
  const total = usable.reduce((n, rs) => n + rs.weight, 0);
  return {
    choices: usable.map((server) => ({ server, probability: server.weight / total })),
    explanation:
      usable.length === 0
        ? `${name}: no usable real server`
        : `${name}: the dump has no connection counts, so the next server is unknown; over many connections each server's share follows its weight (weight / ${total})`,
    deterministic: false,
  };
}

/**
 * lc (ip_vs_lc.c): the first server in list order with the least overhead (strict `<`, so ties
 * keep the earlier server); weights are ignored except that weight 0 is skipped.
 */
export function scheduleLeastConnection(svc: ScheduledService): ScheduleResult {
  let least: RealServer | null = null;
  for (const rs of svc.realServers) {
    if (isUnavailable(rs)) continue;
    if (!least || connOverhead(rs) < connOverhead(least)) least = rs;
  }
  const lo = least === null ? 0 : connOverhead(least);
  const tie = svc.realServers.some((rs) => rs !== least && !isUnavailable(rs) && connOverhead(rs) === lo);
  return result('lc', least, least ? `least overhead active*256+inactive = ${lo}` : '', svc.realServers, tie);
}

/**
 * The weighted pick shared by wlc, sed, lblc and lblcr: start with the first usable server, then
 * replace it whenever `overhead(least) * weight(d) > overhead(d) * weight(least)` — the kernel
 * cross-multiplies instead of dividing, and the strict `>` keeps the earlier server on ties.
 */
function weightedLeast(servers: RealServer[], overhead: (rs: RealServer) => number): RealServer | null {
  let least: RealServer | null = null;
  for (const rs of servers) {
    if (isOverloaded(rs)) continue;
    if (!least) {
      if (rs.weight > 0) least = rs;
      continue;
    }
    if (overhead(least) * rs.weight > overhead(rs) * least.weight) least = rs;
  }
  return least;
}

/** Whether another usable server has the same overhead per weight as the chosen one. */
function weightedTie(
  servers: RealServer[],
  least: RealServer | null,
  overhead: (rs: RealServer) => number,
): boolean {
  if (!least) return false;
  return servers.some(
    (rs) => rs !== least && !isUnavailable(rs) && overhead(least) * rs.weight === overhead(rs) * least.weight,
  );
}

/** wlc (ip_vs_wlc.c): least (active*256 + inactive) / weight. */
export function scheduleWeightedLeastConnection(svc: ScheduledService, name = 'wlc'): ScheduleResult {
  const least = weightedLeast(svc.realServers, connOverhead);
  return result(
    name,
    least,
    least ? `least (active*256+inactive)/weight = ${connOverhead(least)}/${least.weight}` : '',
    svc.realServers,
    weightedTie(svc.realServers, least, connOverhead),
  );
}

/** sed (ip_vs_sed.c): shortest expected delay, least (active + 1) / weight; inactive connections do not count. */
export function scheduleShortestExpectedDelay(svc: ScheduledService): ScheduleResult {
  const sedOverhead = (rs: RealServer): number => (rs.activeConns ?? 0) + 1;
  const least = weightedLeast(svc.realServers, sedOverhead);
  return result(
    'sed',
    least,
    least ? `least (active+1)/weight = ${sedOverhead(least)}/${least.weight}` : '',
    svc.realServers,
    weightedTie(svc.realServers, least, sedOverhead),
  );
}

/**
 * nq (ip_vs_nq.c): never queue — the first usable server in list order with no active connection
 * wins at once; if every server is busy, the sed rule (least (active+1)/weight) decides.
 */
export function scheduleNeverQueue(svc: ScheduledService): ScheduleResult {
  let least: RealServer | null = null;
  for (const rs of svc.realServers) {
    if (isUnavailable(rs)) continue;
    if ((rs.activeConns ?? 0) === 0)
      return result('nq', rs, 'the first idle server (no active connections)', svc.realServers);
    const doh = (rs.activeConns ?? 0) + 1;
    if (!least || ((least.activeConns ?? 0) + 1) * rs.weight > doh * least.weight) least = rs;
  }
  return result('nq', least, least ? `no idle server; least (active+1)/weight` : '', svc.realServers);
}

/**
 * lblc / lblcr (ip_vs_lblc.c, ip_vs_lblcr.c): locality-based — a destination address seen before
 * goes back to the server (lblc) or server set (lblcr) it was given, unless that server is
 * overloaded. That table is kernel state a dump does not show, so this models a destination not
 * seen before, which the kernel schedules with the weighted-least-connection rule.
 */
export function scheduleLocalityBased(svc: ScheduledService): ScheduleResult {
  const r = scheduleWeightedLeastConnection(svc, svc.scheduler);
  return {
    ...r,
    explanation: `${r.explanation}. ${svc.scheduler} remembers a server per destination address; a destination not seen before is scheduled like wlc, which is what is shown`,
  };
}
