// mh (ip_vs_mh.c): Maglev hashing. Each server gets a permutation of the lookup table from two
// keyed hashes of its address:port; servers take turns (by weight) claiming their next free slot
// until the table is full. A client hashes (address [+ source port]) into the table.
import { addressFold32 } from './address-fold.js';
import type { RealServer } from '../types.js';
import { isUnavailable, ORDER_CAVEAT, serverLabel } from './availability.js';
import { tableShares } from './hashing.js';
import { kernelHsiphashU32 } from './siphash.js';
import type { ScheduleOptions, ScheduleResult, SchedulePacket, ScheduledService } from './types.js';

/** The kernel's table sizes, indexed by CONFIG_IP_VS_MH_TAB_INDEX - 8. */
export const MH_TABLE_PRIMES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071];
/** CONFIG_IP_VS_MH_TAB_INDEX defaults to 12. */
export const MH_DEFAULT_TABLE_SIZE = 4093;

/** generate_hash_secret(): fixed keys, so the table is the same on every node. */
const HASH1: [bigint, bigint] = [2654435761n, 2654435761n];
const HASH2: [bigint, bigint] = [2654446892n, 2654446892n];

/** ip_vs_mh_hashkey(): hsiphash of the u32 `offset + ntohs(port) + ntohl(addr_fold)`. */
export function mhHashKey(addrFold: number, port: number, key: [bigint, bigint], offset: number): number {
  return kernelHsiphashU32((offset + port + addrFold) >>> 0, key[0], key[1]);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** fls(): position of the highest set bit, 1-based; 0 for 0. */
const fls = (x: number): number => (x === 0 ? 0 : 32 - Math.clz32(x));

/** ip_vs_mh_permutate() + ip_vs_mh_populate(): the lookup table (server per slot, null when no server has weight). */
export function maglevTable(
  servers: RealServer[],
  tableSize = MH_DEFAULT_TABLE_SIZE,
  lastWeight: (rs: RealServer) => number = (rs) => rs.weight,
): Array<RealServer | null> {
  const size = tableSize;
  const table: Array<RealServer | null> = new Array<RealServer | null>(size).fill(null);
  const weights = servers.map(lastWeight);
  const g = weights.reduce((acc, w) => (w > 0 ? (acc > 0 ? gcd(w, acc) : w) : acc), 0);
  if (g < 1 || servers.length > size) return table;
  // ip_vs_mh_shift_weight(): keep weight/gcd within IP_VS_MH_TAB_BITS (= CONFIG index / 2) bits.
  const index = MH_TABLE_PRIMES.indexOf(size);
  const tabBits = Math.floor((index >= 0 ? index + 8 : 12) / 2);
  const maxWeight = Math.max(...weights);
  const shift = Math.max(fls(Math.floor(maxWeight / g)) - tabBits, 0);
  const setup = servers.map((rs, i) => {
    const fold = addressFold32(rs.address) ?? 0;
    const offset = mhHashKey(fold, rs.port, HASH1, 0) % size;
    const skip = (mhHashKey(fold, rs.port, HASH2, 0) % (size - 1)) + 1;
    const lw = weights[i] ?? 0;
    const turns = Math.floor(lw / g) >> shift || (lw !== 0 ? 1 : 0);
    return { perm: offset, skip, turns };
  });
  const taken = new Uint8Array(size);
  let n = 0;
  let dtCount = 0;
  while (n < size) {
    let progressed = false;
    for (let d = 0; d < servers.length;) {
      const ds = setup[d];
      if (!ds || ds.turns < 1) {
        d++;
        continue;
      }
      let c = ds.perm;
      while (taken[c] === 1) {
        ds.perm += ds.skip;
        if (ds.perm >= size) ds.perm -= size;
        c = ds.perm;
      }
      taken[c] = 1;
      table[c] = servers[d] ?? null;
      progressed = true;
      if (++n === size) return table;
      if (++dtCount >= ds.turns) {
        dtCount = 0;
        d++;
      }
    }
    if (!progressed) break;
  }
  return table;
}

/**
 * mh: the exact server for a client is computed from the kernel's hash (SipHash-1-3 as on 64-bit
 * kernels). kube-proxy sets `mh-port` on its services, so the client's source port is part of the
 * key; without one the result is each server's share of the table. A quiesced or overloaded slot
 * owner fails the connection unless `mh-fallback` is set.
 */
export function scheduleMaglev(
  svc: ScheduledService,
  packet: SchedulePacket,
  opts: ScheduleOptions = {},
): ScheduleResult {
  const size = opts.mhTableSize ?? MH_DEFAULT_TABLE_SIZE;
  const last = (rs: RealServer): number =>
    rs.weight > 0 ? rs.weight : (opts.lastWeights?.[serverLabel(rs)] ?? 1);
  const table = maglevTable(svc.realServers, size, last);
  const usePort = svc.schedulerFlags.includes('mh-port');
  const fallback = svc.schedulerFlags.includes('mh-fallback');
  const fold = addressFold32(packet.src);
  if (fold === null)
    return { choices: [], explanation: `mh: source "${packet.src}" is not an address`, deterministic: false };
  if (usePort && packet.sport === undefined) {
    return {
      choices: tableShares(table, (rs) => !isUnavailable(rs), fallback),
      explanation: `mh with mh-port: the server depends on the client's source port, which is not given; shown as each server's share of the ${size}-slot Maglev table`,
      deterministic: false,
    };
  }
  const port = usePort ? (packet.sport ?? 0) : 0;
  const ihash = mhHashKey(fold, port, HASH1, 0) % size;
  let rs = table[ihash] ?? null;
  if (rs && isUnavailable(rs)) {
    let found: RealServer | null = null;
    if (fallback) {
      for (let offset = 0; offset < size; offset++) {
        const roffset = (offset + ihash) % size;
        const cand = table[mhHashKey(fold, port, HASH1, roffset) % size] ?? null;
        if (!cand) break;
        if (!isUnavailable(cand)) {
          found = cand;
          break;
        }
      }
    }
    rs = found;
  }
  const keyText = usePort ? `${packet.src} port ${port}` : packet.src;
  if (!rs) {
    return {
      choices: [],
      explanation: `mh: ${keyText} hashes to slot ${ihash} of ${size}, whose server is quiesced, overloaded or missing: no destination`,
      deterministic: true,
    };
  }
  return {
    choices: [{ server: rs, probability: 1 }],
    explanation: `mh: ${keyText} hashes to slot ${ihash} of the ${size}-slot Maglev table → ${serverLabel(rs)} (64-bit kernel hash; ${ORDER_CAVEAT})`,
    deterministic: true,
  };
}
