import { describe, it, expect } from 'vitest';
import type { ParsedDumpDto } from '@svcpath/core';
import { chainExists, findChain, heat, maxPackets, searchRules } from './dump-search.js';

const info = {
  kind: 'iptables' as const,
  source: 'upload',
  collectedAt: '2026-01-01T00:00:00Z',
  ageSeconds: 1,
  bytes: 10,
  lines: 4,
  stale: false,
  issues: [],
};
const dump: ParsedDumpDto = {
  node: 'n1',
  kind: 'iptables',
  info,
  tables: [
    {
      name: 'nat',
      chains: [
        {
          name: 'KUBE-SERVICES',
          policy: null,
          rules: [
            {
              index: 1,
              line: 3,
              text: '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp --dport 80 -j KUBE-SVC-X',
              target: 'KUBE-SVC-X',
              packets: 1000,
            },
          ],
        },
        {
          name: 'KUBE-SVC-X',
          policy: null,
          rules: [
            { index: 1, line: 4, text: '-A KUBE-SVC-X -j KUBE-SEP-Y', target: 'KUBE-SEP-Y', packets: 9 },
          ],
        },
      ],
    },
  ],
};

describe('dump browser helpers', () => {
  it('finds rules by text and by chain name', () => {
    expect(searchRules(dump, '10.96.0.10').hits.map((h) => h.chain)).toEqual(['KUBE-SERVICES']);
    expect(searchRules(dump, 'kube-svc-x').hits).toHaveLength(2);
    expect(searchRules(dump, '').hits).toHaveLength(0);
    expect(searchRules(dump, 'KUBE', 1)).toMatchObject({ truncated: true });
  });
  it('scales counters on a log scale', () => {
    expect(maxPackets(dump)).toBe(1000);
    expect(heat(1000, 1000)).toBe(1);
    expect(heat(9, 1000)).toBeGreaterThan(0.3);
    expect(heat(undefined, 1000)).toBe(0);
    expect(heat(5, 0)).toBe(0);
  });
  it('knows which targets are chains', () => {
    expect(chainExists(dump, 'nat', 'KUBE-SVC-X')).toBe(true);
    expect(chainExists(dump, 'nat', 'KUBE-SEP-Y')).toBe(false);
    expect(chainExists(dump, 'filter', 'KUBE-SVC-X')).toBe(false);
  });
});

describe('findChain', () => {
  it('finds a chain by name, and an IPVS virtual server by its address and protocol', () => {
    expect(findChain(dump, 'nat', 'KUBE-SVC-X')).toBe('KUBE-SVC-X');
    expect(findChain(dump, 'nat', 'KUBE-NOPE')).toBeNull();
    const ipvs: ParsedDumpDto = {
      ...dump,
      kind: 'ipvs',
      tables: [
        {
          name: 'ipvs',
          chains: [
            { name: '-A -u 10.96.0.10:53 -s rr', policy: 'rr', rules: [] },
            { name: '-A -t 10.96.0.10:53 -s rr', policy: 'rr', rules: [] },
          ],
        },
      ],
    };
    expect(findChain(ipvs, 'ipvs', 'TCP 10.96.0.10:53')).toBe('-A -t 10.96.0.10:53 -s rr');
    expect(findChain(ipvs, 'ipvs', 'UDP 10.96.0.10:53')).toBe('-A -u 10.96.0.10:53 -s rr');
  });
});
