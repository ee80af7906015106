import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { caseInputs } from '../conformance/inputs.js';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { generateNftables } from './generate.js';
import { buildNftGraph } from './graph.js';
import { parseNftText } from './parse-text.js';

const dumps = sharedPath('dumps');
const overall = loadConformanceCases('nft_TestOverallNFTablesRules')?.[0];

describe('buildNftGraph', () => {
  it.skipIf(!dumps)('reads dump 13: nine endpoints at 1/9 behind numgen random mod 9', () => {
    const rs = parseNftText(
      readFileSync(join(dumps ?? '', '13-k3s-kube-proxy-nftables-mode-nft-list-table.txt'), 'utf8'),
    );
    const g = buildNftGraph(rs);
    const svc = g.services.find((s) => s.service === 'riset/hellopod-np-svc');
    expect(svc?.protocol).toBe('tcp');
    expect(svc?.chain).toBe('service-P6J77WGM-riset/hellopod-np-svc/tcp/');
    expect(svc?.entries.map((e) => `${e.kind} ${e.ip ?? '*'}:${e.port}`).sort()).toEqual([
      'clusterIP 10.43.195.72:8000',
      'nodePort 10.34.4.246:30000',
    ]);
    expect(svc?.endpoints).toHaveLength(9);
    for (const e of svc?.endpoints ?? []) expect(e.probability).toBeCloseTo(1 / 9, 12);
    expect(svc?.endpoints[0]).toMatchObject({
      address: '10.42.2.218:8080',
      chain: 'endpoint-VNXJG24O-riset/hellopod-np-svc/tcp/__10.42.2.218/8080',
    });
    // The old layout marks through the mark-for-masquerade chain.
    expect(
      svc?.nodes.find((n) => n.id === 'chain:external-P6J77WGM-riset/hellopod-np-svc/tcp/')?.masquerade,
    ).toBe(true);
    expect(svc?.warnings).toEqual([]);
    const otel = g.services.find((s) => s.service === 'riset/otelcol-opentelemetry-collector:otlp');
    expect(otel?.endpoints).toEqual([]);
    expect(otel?.nodes.some((n) => n.kind === 'reject')).toBe(true);
    expect(otel?.entries[0]).toMatchObject({ kind: 'clusterIP', ip: '10.43.21.102', port: 4317 });
    expect(g.services.map((s) => s.service)).toContain('kube-system/kube-dns:dns');
  });

  it.skipIf(!overall)(
    'reads a generated ruleset: numgen map DNAT, affinity, firewall, eTP Local and no-endpoint entries',
    () => {
      if (!overall) return;
      const i = caseInputs(overall);
      for (const format of ['transaction', 'ruleset'] as const) {
        const g = buildNftGraph(parseNftText(generateNftables(i, i.settings, { family: 4, format }).text), {
          loadBalancerIPs: ['1.2.3.4'],
        });
        const by = (s: string) => g.services.find((x) => x.service === s);
        expect(by('ns4/svc4:p80')?.endpoints.map((e) => [e.address, e.probability, e.chain])).toEqual([
          ['10.180.0.4:80', 0.5, null],
          ['10.180.0.5:80', 0.5, null],
        ]);
        expect(
          by('ns4/svc4:p80')
            ?.entries.map((e) => e.kind)
            .sort(),
        ).toEqual(['clusterIP', 'externalIP']);
        const svc5 = by('ns5/svc5:p80');
        expect(svc5?.endpoints).toEqual([
          {
            address: '10.180.0.3:80',
            chain: 'endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
            probability: 1,
          },
        ]);
        expect(svc5?.nodes.find((n) => n.kind === 'endpoint-chain')?.affinitySeconds).toBe(10800);
        expect(svc5?.entries.filter((e) => e.kind === 'loadBalancer').map((e) => e.target)).toEqual([
          'external-HVFWP5L3-ns5/svc5/tcp/p80',
          'firewall-HVFWP5L3-ns5/svc5/tcp/p80',
        ]);
        expect(
          svc5?.edges.some(
            (e) => e.from === 'chain:firewall-HVFWP5L3-ns5/svc5/tcp/p80' && e.to.startsWith('drop:'),
          ),
        ).toBe(true);
        const svc2 = by('ns2/svc2:p80');
        expect(svc2?.entries.find((e) => e.ip === '1.2.3.4')?.kind).toBe('loadBalancer');
        expect(
          svc2?.edges.some(
            (e) =>
              e.condition === 'fib saddr type local' && e.to === 'chain:service-42NFTM6N-ns2/svc2/tcp/p80',
          ),
        ).toBe(true);
        expect(svc2?.edges.some((e) => e.to.startsWith('drop:no-endpoint-services'))).toBe(true);
        expect(by('ns1/svc1:p80')?.nodes.find((n) => n.kind === 'endpoint')?.masquerade).toBe(true); // hairpin
        expect(by('ns1/svc1:p80')?.nodes.find((n) => n.kind === 'entry')?.masquerade).toBe(true);
        const svc6 = by('ns6/svc6:p80');
        expect(svc6?.entries).toMatchObject([
          { kind: 'clusterIP', ip: '172.30.0.46', port: 80, target: 'reject' },
        ]);
        for (const s of g.services) expect(s.warnings).toEqual([]);
      }
    },
  );
});

describe.skipIf(!loadConformanceCases('nft_'))('buildNftGraph over every generated case', () => {
  it('resolves every chain and gives endpoint probabilities that sum to 1', () => {
    for (const c of loadConformanceCases('nft_') ?? []) {
      const i = caseInputs(c);
      const g = buildNftGraph(
        parseNftText(generateNftables(i, i.settings, { family: i.family, format: 'ruleset' }).text),
      );
      for (const s of g.services) {
        expect(s.warnings, `${c.id} ${s.service}`).toEqual([]);
        const total = s.endpoints.reduce((sum, e) => sum + e.probability, 0);
        if (s.endpoints.length > 0) expect(total, `${c.id} ${s.service}`).toBeCloseTo(1, 9);
        const ids = new Set(s.nodes.map((n) => n.id));
        for (const e of s.edges)
          expect(ids.has(e.from) && ids.has(e.to), `${c.id} ${e.from} -> ${e.to}`).toBe(true);
      }
    }
  });
});
