// sh and dh: a 256-bucket table maps a hash of the client (sh) or destination (dh) address to a
// server, so one address always lands on the same server while the server list is unchanged.
import { addressFold32 } from './address-fold.js';
import type { RealServer } from '../types.js';
import { isUnavailable, ORDER_CAVEAT, serverLabel } from './availability.js';
import type { ScheduleChoice, ScheduleResult, SchedulePacket, ScheduledService } from './types.js';

/** IP_VS_SH_TAB_BITS / IP_VS_DH_TAB_BITS default to 8. */
export const HASH_TABLE_SIZE = 256;

/** include/linux/hash.h since Linux 4.7: `hash_32(val, bits) = (val * 0x61C88647) >> (32 - bits)`. */
export const hash32 = (value: number, bits: number): number =>
  Math.imul(value >>> 0, 0x61c88647) >>> (32 - bits);

/**
 * ip_vs_sh_hashkey(): `(offset + hash_32(ntohs(port) + ntohl(addr_fold), 8)) & 255`, port being 0
 * unless the service has `sh-port`. (Kernels before 3.11 used `(addr * 2654435761) & 255`, and
 * 3.11–4.6 a different hash_32 multiplier; those are not modelled.)
 */
export function shHashKey(addrFold: number, port: number, offset: number): number {
  return (offset + hash32((port + addrFold) >>> 0, 8)) & (HASH_TABLE_SIZE - 1);
}

/** ip_vs_dh_hashkey(): `(ntohl(addr_fold) * 2654435761) & 255` (only the low bits survive). */
export const dhHashKey = (addrFold: number): number =>
  Math.imul(addrFold >>> 0, 2654435761 | 0) & (HASH_TABLE_SIZE - 1);

/**
 * ip_vs_sh_reassign(): buckets 0…255 are filled by walking the server list round and round,
 * giving each server `weight` consecutive buckets per turn (a weight-0 server still takes one,
 * because the check is `++count >= weight`).
 */
export function shBuckets(servers: RealServer[]): Array<RealServer | null> {
  const table: Array<RealServer | null> = [];
  if (servers.length === 0) return new Array<RealServer | null>(HASH_TABLE_SIZE).fill(null);
  let i = 0;
  let count = 0;
  for (let b = 0; b < HASH_TABLE_SIZE; b++) {
    const rs = servers[i % servers.length] ?? null;
    table.push(rs);
    if (rs && ++count >= rs.weight) {
      i++;
      count = 0;
    }
  }
  return table;
}

/** ip_vs_dh_reassign(): one bucket per server, round and round, weights ignored. */
export function dhBuckets(servers: RealServer[]): Array<RealServer | null> {
  const table: Array<RealServer | null> = [];
  for (let b = 0; b < HASH_TABLE_SIZE; b++)
    table.push(servers.length === 0 ? null : (servers[b % servers.length] ?? null));
  return table;
}

/** ip_vs_sh_get / ip_vs_sh_get_fallback: the bucket's server, or with fallback the next usable one on the hash walk. */
function shLookup(
  table: Array<RealServer | null>,
  fold: number,
  port: number,
  fallback: boolean,
): RealServer | null {
  const ihash = shHashKey(fold, port, 0);
  const first = table[ihash] ?? null;
  if (!first) return null;
  if (!isUnavailable(first)) return first;
  if (!fallback) return null;
  for (let offset = 0; offset < HASH_TABLE_SIZE; offset++) {
    const roffset = (offset + ihash) % HASH_TABLE_SIZE;
    const rs = table[shHashKey(fold, port, roffset)] ?? null;
    if (!rs) break;
    if (!isUnavailable(rs)) return rs;
  }
  return null;
}

/** Shares of the table, for when the hashed value is not known (sh-port without a source port). */
export function tableShares(
  table: Array<RealServer | null>,
  usable: (rs: RealServer) => boolean,
  redistribute: boolean,
): ScheduleChoice[] {
  const counts = new Map<RealServer, number>();
  let usableSlots = 0;
  for (const rs of table) {
    if (!rs || !usable(rs)) continue;
    counts.set(rs, (counts.get(rs) ?? 0) + 1);
    usableSlots++;
  }
  const denom = redistribute ? usableSlots : table.length;
  return [...counts].map(([server, n]) => ({ server, probability: denom === 0 ? 0 : n / denom }));
}

/**
 * sh (ip_vs_sh.c): source hashing on the client address (and its source port with `sh-port`).
 * A quiesced or overloaded bucket owner makes the connection fail unless `sh-fallback` is set.
 */
export function scheduleSourceHash(svc: ScheduledService, packet: SchedulePacket): ScheduleResult {
  const table = shBuckets(svc.realServers);
  const usePort = svc.schedulerFlags.includes('sh-port');
  const fallback = svc.schedulerFlags.includes('sh-fallback');
  const fold = addressFold32(packet.src);
  if (fold === null) {
    return { choices: [], explanation: `sh: source "${packet.src}" is not an address`, deterministic: false };
  }
  if (usePort && packet.sport === undefined) {
    return {
      choices: tableShares(table, (rs) => !isUnavailable(rs), fallback),
      explanation:
        'sh with sh-port: the server depends on the source port, which is not given; shown as each server’s share of the 256 hash buckets',
      deterministic: false,
    };
  }
  const port = usePort ? (packet.sport ?? 0) : 0;
  const bucket = shHashKey(fold, port, 0);
  const rs = shLookup(table, fold, port, fallback);
  const keyText = usePort ? `${packet.src} port ${port}` : packet.src;
  if (!rs) {
    return {
      choices: [],
      explanation: `sh: ${keyText} hashes to bucket ${bucket}, whose server is quiesced, overloaded or missing${fallback ? ' and no usable server was found' : ' (no sh-fallback)'}: no destination`,
      deterministic: true,
    };
  }
  return {
    choices: [{ server: rs, probability: 1 }],
    explanation: `sh: ${keyText} hashes to bucket ${bucket} → ${serverLabel(rs)}; every connection from this source goes there while the servers stay the same (${ORDER_CAVEAT})`,
    deterministic: true,
  };
}

/**
 * dh (ip_vs_dh.c): destination hashing on the packet's destination address. Behind a kube-proxy
 * virtual server the destination is always the VIP, so every client lands on the same server.
 */
export function scheduleDestinationHash(svc: ScheduledService, packet: SchedulePacket): ScheduleResult {
  const table = dhBuckets(svc.realServers);
  const fold = packet.dst === undefined ? null : addressFold32(packet.dst);
  if (fold === null) {
    return { choices: [], explanation: 'dh: the destination address is not known', deterministic: false };
  }
  const bucket = dhHashKey(fold);
  const rs = table[bucket] ?? null;
  if (!rs || isUnavailable(rs)) {
    return {
      choices: [],
      explanation: `dh: ${packet.dst ?? ''} hashes to bucket ${bucket}, whose server is quiesced, overloaded or missing: no destination`,
      deterministic: true,
    };
  }
  return {
    choices: [{ server: rs, probability: 1 }],
    explanation: `dh: destination ${packet.dst ?? ''} hashes to bucket ${bucket} → ${serverLabel(rs)}; all traffic to this address goes there (${ORDER_CAVEAT})`,
    deterministic: true,
  };
}
