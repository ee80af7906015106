// Shares over many clients and connections, for drawing a virtual service's edges.
import type { VirtualService } from '../types.js';
import { isUnavailable } from './availability.js';
import { shBuckets, tableShares } from './hashing.js';
import { maglevTable, MH_DEFAULT_TABLE_SIZE } from './maglev.js';
import { scheduleDestinationHash } from './hashing.js';
import type { ScheduleChoice, ScheduleOptions } from './types.js';

export interface ShareResult {
  choices: ScheduleChoice[];
  explanation: string;
}

/**
 * How a virtual service spreads many clients: rr evenly; weighted and least-connection
 * schedulers by weight (least-connection balancing converges to weight shares when the servers
 * answer equally fast — an approximation); sh and mh by each server's share of the hash table; dh
 * sends everything to the bucket of the service address.
 */
export function ipvsShares(vs: VirtualService, opts: ScheduleOptions = {}): ShareResult {
  const usable = vs.realServers.filter((rs) => !isUnavailable(rs));
  if (usable.length === 0) return { choices: [], explanation: 'no usable real server' };
  switch (vs.scheduler) {
    case 'sh':
      return {
        choices: tableShares(
          shBuckets(vs.realServers),
          (rs) => !isUnavailable(rs),
          vs.schedulerFlags.includes('sh-fallback'),
        ),
        explanation: 'sh: share of the 256 source-hash buckets',
      };
    case 'mh': {
      const size = opts.mhTableSize ?? MH_DEFAULT_TABLE_SIZE;
      const table = maglevTable(vs.realServers, size, (rs) => (rs.weight > 0 ? rs.weight : 1));
      return {
        choices: tableShares(table, (rs) => !isUnavailable(rs), vs.schedulerFlags.includes('mh-fallback')),
        explanation: `mh: share of the ${size}-slot Maglev table`,
      };
    }
    case 'dh': {
      const r = scheduleDestinationHash(vs, vs.address === null ? { src: '' } : { src: '', dst: vs.address });
      return { choices: r.choices, explanation: r.explanation };
    }
    case 'rr':
      return {
        choices: usable.map((server) => ({ server, probability: 1 / usable.length })),
        explanation: 'rr: equal shares',
      };
    default: {
      const total = usable.reduce((s, rs) => s + rs.weight, 0);
      return {
        choices: usable.map((server) => ({ server, probability: server.weight / total })),
        explanation: `${vs.scheduler || 'unknown scheduler'}: shares by weight over many connections`,
      };
    }
  }
}
