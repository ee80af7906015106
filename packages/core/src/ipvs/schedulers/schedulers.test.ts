// Hand-worked examples from the kernel's algorithms (net/netfilter/ipvs/ip_vs_*.c). IPVS is not
// available in the kernel these tests run on, so nothing is checked against a live kernel: each
// expectation is derived by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import type { RealServer } from '../types.js';
import { dhHashKey, hash32, maglevTable, scheduleIpvs, shBuckets, shHashKey, sipHash } from './index.js';

function rs(address: string, weight = 1, active: number | null = 0, inact: number | null = 0): RealServer {
  return {
    address,
    port: 80,
    forwarding: 'Masq',
    weight,
    activeConns: active,
    inactConns: inact,
    stats: null,
    rates: null,
    line: null,
    text: '',
  };
}
const svc = (scheduler: string, realServers: RealServer[], schedulerFlags: string[] = []) => ({
  scheduler,
  schedulerFlags,
  realServers,
});
const picked = (r: ReturnType<typeof scheduleIpvs>) =>
  r.choices.map((c) => [c.server.address, c.probability]);

describe('rr and wrr', () => {
  it('rr: equal shares over servers with weight > 0', () => {
    // ip_vs_rr skips weight-0 servers; the other two alternate → 1/2 each.
    const r = scheduleIpvs(svc('rr', [rs('10.0.0.1', 1), rs('10.0.0.2', 0), rs('10.0.0.3', 5)]), {
      src: '1.1.1.1',
    });
    expect(picked(r)).toEqual([
      ['10.0.0.1', 0.5],
      ['10.0.0.3', 0.5],
    ]);
    expect(r.deterministic).toBe(false);
  });

  it('wrr: weight / sum of weights', () => {
    // Weights 3 and 1: a full wrr cycle (cw = 3, 2, 1) picks A three times and B once → 3/4, 1/4.
    const r = scheduleIpvs(svc('wrr', [rs('10.0.0.1', 3), rs('10.0.0.2', 1)]), { src: '1.1.1.1' });
    expect(picked(r)).toEqual([
      ['10.0.0.1', 0.75],
      ['10.0.0.2', 0.25],
    ]);
  });
});

describe('overloaded servers', () => {
  it('a server at its upper threshold (-x) is skipped', () => {
    // IP_VS_DEST_F_OVERLOAD is set when active + inactive >= u_threshold: 8 + 2 >= 10.
    const busy = { ...rs('A', 1, 8, 2), upperThreshold: 10 };
    const r = scheduleIpvs(svc('rr', [busy, rs('B')]), { src: '1.1.1.1' });
    expect(picked(r)).toEqual([['B', 1]]);
  });
});

describe('least-connection family', () => {
  it('lc: least active*256+inactive', () => {
    // A: 1*256+10 = 266, B: 0*256+300 = 300, C: 1*256+5 = 261 → C.
    const r = scheduleIpvs(svc('lc', [rs('A', 1, 1, 10), rs('B', 1, 0, 300), rs('C', 1, 1, 5)]), {
      src: '1.1.1.1',
    });
    expect(picked(r)).toEqual([['C', 1]]);
    expect(r.deterministic).toBe(true);
  });

  it('lc: ties keep the first server in list order', () => {
    // Both 0: the kernel only replaces on a strictly smaller overhead → A.
    const r = scheduleIpvs(svc('lc', [rs('A'), rs('B')]), { src: '1.1.1.1' });
    expect(picked(r)).toEqual([['A', 1]]);
    expect(r.explanation).toContain('first in list order');
  });

  it('wlc: compares overhead/weight by cross-multiplication', () => {
    // A: w1, 2 active → 512; B: w3, 5 active → 1280. 512*3 = 1536 > 1280*1 → B (426.7 < 512 per weight).
    const r = scheduleIpvs(svc('wlc', [rs('A', 1, 2, 0), rs('B', 3, 5, 0)]), { src: '1.1.1.1' });
    expect(picked(r)).toEqual([['B', 1]]);
  });

  it('wlc: a weight-0 first server is never the starting point', () => {
    // The first stage skips weight 0; B starts and nothing beats 0 overhead → B.
    expect(picked(scheduleIpvs(svc('wlc', [rs('A', 0), rs('B', 1)]), { src: '1.1.1.1' }))).toEqual([
      ['B', 1],
    ]);
  });

  it('sed: least (active+1)/weight, ties to the earlier server', () => {
    // A: (0+1)/1 = 1; B: (2+1)/3 = 1 → 1*3 > 3*1 is false, A stays; C: (2+1)/4 → 1*4 > 3*1 → C.
    const r = scheduleIpvs(svc('sed', [rs('A', 1, 0), rs('B', 3, 2), rs('C', 4, 2)]), { src: '1.1.1.1' });
    expect(picked(r)).toEqual([['C', 1]]);
    expect(picked(scheduleIpvs(svc('sed', [rs('A', 1, 0), rs('B', 3, 2)]), { src: '1.1.1.1' }))).toEqual([
      ['A', 1],
    ]);
  });

  it('nq: the first idle server wins, otherwise sed', () => {
    // B has no active connection → chosen at once although A comes first.
    expect(picked(scheduleIpvs(svc('nq', [rs('A', 1, 1), rs('B', 1, 0)]), { src: '1.1.1.1' }))).toEqual([
      ['B', 1],
    ]);
    // All busy: A (2+1)/1 = 3, B (3+1)/2 = 2 → 3*2 > 4*1 → B.
    expect(picked(scheduleIpvs(svc('nq', [rs('A', 1, 2), rs('B', 2, 3)]), { src: '1.1.1.1' }))).toEqual([
      ['B', 1],
    ]);
  });

  it('lblc / lblcr: a new destination is scheduled like wlc', () => {
    const r = scheduleIpvs(svc('lblc', [rs('A', 1, 2, 0), rs('B', 3, 5, 0)]), {
      src: '1.1.1.1',
      dst: '10.96.0.1',
    });
    expect(picked(r)).toEqual([['B', 1]]);
    expect(r.explanation).toContain('not seen before');
  });

  it('without connection counts gives weight shares instead of a guess', () => {
    // ipvsadm -S shows no counts: the next pick is unknown; long-run share is weight / sum = 1/3, 2/3.
    const r = scheduleIpvs(svc('lc', [rs('A', 1, null, null), rs('B', 2, null, null)]), { src: '1.1.1.1' });
    expect(picked(r)).toEqual([
      ['A', 1 / 3],
      ['B', 2 / 3],
    ]);
    expect(r.deterministic).toBe(false);
    expect(r.explanation).toContain('no connection counts');
  });
});

describe('sh (source hashing)', () => {
  it('hash_32 of the source address', () => {
    // 10.0.0.1 = 0x0A000001; 0x0A000001 * 0x61C88647 mod 2^32
    //   = 0x61C88647 + (10 * 0x47 mod 256 = 0xC6) << 24 = 0x127C88647 → 0x27C88647; >> 24 = 0x27 = 39.
    expect(hash32(0x0a000001, 8)).toBe(39);
    // 10.0.0.2: 2 * 0x61C88647 = 0xC3910C8E, + 0xC6000000 → 0x89910C8E; >> 24 = 0x89 = 137.
    expect(shHashKey(0x0a000002, 0, 0)).toBe(137);
  });

  it('fills buckets by weight round robin', () => {
    // Weights 2 and 1: A, A, B, A, A, B, … → bucket b is B exactly when b mod 3 = 2.
    const table = shBuckets([rs('A', 2), rs('B', 1)]);
    expect(table.slice(0, 6).map((r) => r?.address)).toEqual(['A', 'A', 'B', 'A', 'A', 'B']);
    expect(table.filter((r) => r?.address === 'A')).toHaveLength(171); // 85 full turns of 3 → 170 + bucket 255 (255 mod 3 = 0)
  });

  it('picks the bucket owner for the client address', () => {
    // Weights 1,1,1: bucket b → server b mod 3. 10.0.0.1 → 39 → A; 10.0.0.2 → 137 → 137 mod 3 = 2 → C.
    const s = svc('sh', [rs('A'), rs('B'), rs('C')]);
    expect(picked(scheduleIpvs(s, { src: '10.0.0.1' }))).toEqual([['A', 1]]);
    expect(picked(scheduleIpvs(s, { src: '10.0.0.2' }))).toEqual([['C', 1]]);
    expect(scheduleIpvs(s, { src: '10.0.0.2' }).deterministic).toBe(true);
  });

  it('adds the source port with sh-port', () => {
    // 1000 + 0x0A000001 = 0x0A0003E9; 1001 * 0x61C88647 mod 2^32 = 0x59150B9F, + 0xC6000000 → 0x1F150B9F;
    // >> 24 = 31 → 31 mod 3 = 1 → B.
    const s = svc('sh', [rs('A'), rs('B'), rs('C')], ['sh-port']);
    expect(picked(scheduleIpvs(s, { src: '10.0.0.1', sport: 1000 }))).toEqual([['B', 1]]);
    // Without the port the answer is each server's share of the 256 buckets: 86, 85, 85.
    const shares = scheduleIpvs(s, { src: '10.0.0.1' });
    expect(shares.deterministic).toBe(false);
    expect(shares.choices.map((c) => c.probability * 256)).toEqual([86, 85, 85]);
  });

  it('a quiesced bucket owner fails the connection unless sh-fallback', () => {
    // 10.0.0.1 → bucket 39 → A, whose weight is 0. With weights [0,1,1] the table is A,B,C,… (weight 0 still takes one bucket).
    const servers = [rs('A', 0), rs('B'), rs('C')];
    expect(scheduleIpvs(svc('sh', servers), { src: '10.0.0.1' }).choices).toEqual([]);
    // Fallback walks hashes of offsets 39, 40, …: offset 39 → (39 + 39) & 255 = 78 → 78 mod 3 = 0 → A again;
    // offset 40 → 79 → 79 mod 3 = 1 → B.
    expect(picked(scheduleIpvs(svc('sh', servers, ['sh-fallback']), { src: '10.0.0.1' }))).toEqual([
      ['B', 1],
    ]);
  });
});

describe('dh (destination hashing)', () => {
  it('hashes the destination with 2654435761 and keeps the low 8 bits', () => {
    // 10.96.0.10 = 0x0A60000A; only the low byte matters: 0x0A * 0xB1 = 1770 = 0x6EA → 0xEA = 234.
    expect(dhHashKey(0x0a60000a)).toBe(234);
    // Four servers, one bucket each in turn: 234 mod 4 = 2 → the third.
    const r = scheduleIpvs(svc('dh', [rs('A'), rs('B'), rs('C'), rs('D')]), {
      src: '1.2.3.4',
      dst: '10.96.0.10',
    });
    expect(picked(r)).toEqual([['C', 1]]);
  });
});

describe('mh (Maglev hashing)', () => {
  it('SipHash matches the reference vectors (SipHash-2-4, key 00..0f)', () => {
    const k0 = 0x0706050403020100n;
    const k1 = 0x0f0e0d0c0b0a0908n;
    expect(sipHash(new Uint8Array([]), k0, k1)).toBe(0x726fdb47dd0e0e31n);
    expect(sipHash(new Uint8Array([0]), k0, k1)).toBe(0x74f839c593dc67fdn);
  });

  it('fills the table by turns in list order', () => {
    // 251 slots, three weight-1 servers take one slot per turn: 83 full turns = 249, then A and B → 84, 84, 83.
    const servers = [rs('10.0.0.1'), rs('10.0.0.2'), rs('10.0.0.3')];
    const table = maglevTable(servers, 251);
    expect(servers.map((s) => table.filter((t) => t === s).length)).toEqual([84, 84, 83]);
    // Weights 2,1: turns of 3 slots (A, A, B); 83 turns = 249, then A twice → 168 and 83.
    const weighted = [rs('10.0.0.1', 2), rs('10.0.0.2', 1)];
    const t2 = maglevTable(weighted, 251);
    expect(weighted.map((s) => t2.filter((t) => t === s).length)).toEqual([168, 83]);
  });

  it('gives one server per client, stable across calls, and shares without a port', () => {
    const s = svc('mh', [rs('10.0.0.1'), rs('10.0.0.2'), rs('10.0.0.3')], ['mh-port']);
    const a = scheduleIpvs(s, { src: '192.168.1.10', sport: 40000 });
    expect(a.deterministic).toBe(true);
    expect(a.choices).toHaveLength(1);
    expect(picked(scheduleIpvs(s, { src: '192.168.1.10', sport: 40000 }))).toEqual(picked(a));
    const shares = scheduleIpvs(s, { src: '192.168.1.10' });
    expect(shares.deterministic).toBe(false);
    // 4093 = 3 * 1364 + 1 → 1365, 1364, 1364 slots.
    expect(shares.choices.map((c) => Math.round(c.probability * 4093))).toEqual([1365, 1364, 1364]);
  });
});

describe('no servers', () => {
  it('explains the ICMP answer', () => {
    const r = scheduleIpvs(svc('rr', []), { src: '1.1.1.1' });
    expect(r.choices).toEqual([]);
    expect(r.explanation).toContain('ICMP port unreachable');
  });
});
