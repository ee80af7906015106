// scheduleIpvs: which real server(s) a new connection to a virtual service can get.
import type { VirtualService } from '../types.js';
import { scheduleDestinationHash, scheduleSourceHash } from './hashing.js';
import {
  scheduleLeastConnection,
  scheduleLocalityBased,
  scheduleNeverQueue,
  scheduleShortestExpectedDelay,
  scheduleWeightedLeastConnection,
} from './least-connection.js';
import { scheduleMaglev } from './maglev.js';
import { scheduleRoundRobin, scheduleWeightedRoundRobin } from './round-robin.js';
import type { ScheduleOptions, ScheduleResult, SchedulePacket, ScheduledService } from './types.js';

export type * from './types.js';
export { addressFold32 } from './address-fold.js';
export { isOverloaded, isUnavailable } from './availability.js';
export { connOverhead } from './least-connection.js';
export { dhBuckets, dhHashKey, hash32, shBuckets, shHashKey, HASH_TABLE_SIZE } from './hashing.js';
export { maglevTable, mhHashKey, MH_DEFAULT_TABLE_SIZE, MH_TABLE_PRIMES } from './maglev.js';
export { sipHash, kernelHsiphashU32 } from './siphash.js';
export { ipvsShares, type ShareResult } from './shares.js';

/** Schedulers the kernel ships (and kube-proxy accepts for --ipvs-scheduler). */
export const IPVS_SCHEDULERS = [
  'rr',
  'wrr',
  'lc',
  'wlc',
  'lblc',
  'lblcr',
  'dh',
  'sh',
  'sed',
  'nq',
  'mh',
] as const;

/**
 * The first connection of a client to `vs`. Persistence is not applied here: with a persistent
 * service the first connection is scheduled like this and later ones (within the timeout, from
 * the same client address under the netmask) stick to the same server.
 */
export function scheduleIpvs(
  vs: ScheduledService | VirtualService,
  packet: SchedulePacket,
  opts: ScheduleOptions = {},
): ScheduleResult {
  const svc: ScheduledService = vs;
  let r: ScheduleResult;
  switch (svc.scheduler) {
    case 'rr':
      r = scheduleRoundRobin(svc);
      break;
    case 'wrr':
      r = scheduleWeightedRoundRobin(svc);
      break;
    case 'lc':
      r = scheduleLeastConnection(svc);
      break;
    case 'wlc':
      r = scheduleWeightedLeastConnection(svc);
      break;
    case 'sed':
      r = scheduleShortestExpectedDelay(svc);
      break;
    case 'nq':
      r = scheduleNeverQueue(svc);
      break;
    case 'lblc':
    case 'lblcr':
      r = scheduleLocalityBased(svc);
      break;
    case 'sh':
      r = scheduleSourceHash(svc, packet);
      break;
    case 'dh':
      r = scheduleDestinationHash(svc, packet);
      break;
    case 'mh':
      r = scheduleMaglev(svc, packet, opts);
      break;
    default: {
      const rr = scheduleRoundRobin(svc);
      r = {
        ...rr,
        explanation: `unknown scheduler "${svc.scheduler || '(not shown)'}": shown as round robin. ${rr.explanation}`,
      };
    }
  }
  if (svc.realServers.length === 0) {
    r = {
      choices: [],
      explanation: 'no real servers: IPVS answers new connections with ICMP port unreachable',
      deterministic: true,
    };
  } else if (r.choices.length === 0) {
    r = { ...r, explanation: `${r.explanation}. With no server IPVS answers with ICMP port unreachable` };
  }
  return r;
}
