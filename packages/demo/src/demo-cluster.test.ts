import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseIptables } from '@svcpath/core';
import { sharedPath } from '../../core/src/common/shared-folder.test-helpers.js';
import { createDemoCluster, LAGGING_NODE } from './demo-cluster.js';
import { PHASE_SECONDS } from './timeline.js';

const examples = sharedPath('examples');
const start = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

interface YamlService {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    selector?: Record<string, string>;
    type?: string;
    ports?: Array<{
      name?: string;
      port: number;
      protocol?: string;
      targetPort?: number | string;
      nodePort?: number;
    }>;
  };
}

describe.skipIf(!examples)('demo objects match classic-services.yaml', () => {
  const docs = parseAllDocuments(readFileSync(join(examples ?? '', 'classic-services.yaml'), 'utf8')).map(
    (d) => d.toJSON() as YamlService,
  );
  const yamlServices = docs.filter((d) => d.kind === 'Service');
  const demo = createDemoCluster({ startTime: start }).state();

  it('has every Service of the file with the same ports, selector and type', () => {
    expect(yamlServices.length).toBeGreaterThanOrEqual(10);
    for (const y of yamlServices) {
      const ns = y.metadata.namespace ?? 'default';
      const s = demo.services.find((d) => d.metadata.name === y.metadata.name && d.metadata.namespace === ns);
      expect(s, `${ns}/${y.metadata.name}`).toBeDefined();
      if (!s) continue;
      expect(s.spec.selector).toEqual(y.spec.selector);
      expect(s.spec.type ?? 'ClusterIP').toBe(y.spec.type ?? 'ClusterIP');
      const norm = (ports: YamlService['spec']['ports']) =>
        (ports ?? []).map((p) => ({
          name: p.name ?? '',
          port: p.port,
          protocol: p.protocol ?? 'TCP',
          targetPort: p.targetPort ?? p.port,
        }));
      expect(norm(s.spec.ports)).toEqual(norm(y.spec.ports));
    }
  });

  it('runs each Deployment and ReplicationController with its replicas, labels and ports', () => {
    for (const w of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'ReplicationController')) {
      const raw = w as unknown as {
        spec: {
          replicas: number;
          template: {
            metadata: { labels: Record<string, string> };
            spec: { containers: Array<{ ports?: Array<{ containerPort: number }> }> };
          };
        };
      };
      const labels = raw.spec.template.metadata.labels;
      const pods = demo.pods.filter((p) =>
        Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v),
      );
      expect(pods.length, w.metadata.name).toBe(raw.spec.replicas);
      const want = raw.spec.template.spec.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => p.containerPort),
      );
      for (const p of pods)
        expect(p.spec?.containers?.flatMap((c) => (c.ports ?? []).map((cp) => cp.containerPort))).toEqual(
          want,
        );
    }
  });
});

describe('demo cluster', () => {
  it('keeps the tutorial kube-dns endpoints', () => {
    const demo = createDemoCluster({ startTime: start });
    const slices = demo
      .state()
      .endpointSlices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kube-dns');
    expect(slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort()).toEqual([
      '10.32.0.3',
      '10.32.0.4',
    ]);
  });

  it('computes hostnames endpoints with 3 ready pods at the start', () => {
    const demo = createDemoCluster({ startTime: start });
    const eps = demo
      .state()
      .endpointSlices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'hostnames')
      .flatMap((s) => s.endpoints ?? []);
    expect(eps.map((e) => e.conditions?.ready)).toEqual([true, true, true]);
    expect(
      demo
        .state()
        .endpointSlices.find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'hostnames')
        ?.ports?.[0]?.port,
    ).toBe(9376);
  });

  it('advances through unready, ready, scale 3→4→3 and reports each change', () => {
    const demo = createDemoCluster({ startTime: start });
    expect(demo.advance(at(1))).toEqual([]);
    const readyCount = () =>
      demo
        .state()
        .endpointSlices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'hostnames')
        .flatMap((s) => s.endpoints ?? [])
        .filter((e) => e.conditions?.ready).length;
    const unready = demo.advance(at(PHASE_SECONDS));
    expect(unready).toContainEqual({
      kind: 'pod',
      type: 'update',
      namespace: 'default',
      name: 'hostnames-6f7b8d9c5-9mvtl',
    });
    expect(readyCount()).toBe(2);
    demo.advance(at(2 * PHASE_SECONDS));
    expect(readyCount()).toBe(3);
    const scaled = demo.advance(at(3 * PHASE_SECONDS));
    expect(scaled).toContainEqual({
      kind: 'pod',
      type: 'add',
      namespace: 'default',
      name: 'hostnames-6f7b8d9c5-k7hsn',
    });
    expect(readyCount()).toBe(4);
    const back = demo.advance(at(4 * PHASE_SECONDS));
    expect(back).toContainEqual({
      kind: 'pod',
      type: 'delete',
      namespace: 'default',
      name: 'hostnames-6f7b8d9c5-k7hsn',
    });
    expect(readyCount()).toBe(3);
  });

  it("generates each node's dumps for its mode: iptables, nft ruleset, ipvsadm + ipset + iptables", () => {
    const demo = createDemoCluster({ startTime: start });
    const kinds = (node: string) =>
      demo
        .dumps()
        .filter((d) => d.node === node)
        .map((d) => d.kind)
        .sort();
    expect(kinds('node-a')).toEqual(['iptables']);
    expect(kinds('node-b')).toEqual(['nft']);
    expect(kinds('node-c')).toEqual(['ipset', 'iptables', 'ipvs']);
    const nft = demo.dumps().find((d) => d.kind === 'nft')?.text ?? '';
    expect(nft).toMatch(/table ip kube-proxy/);
    const ipvs = demo.dumps().find((d) => d.kind === 'ipvs')?.text ?? '';
    expect(ipvs).toMatch(/-a -t 10\.96\.0\.20:80 -r 10\.36\.0\.10:9376 -m/);
  });

  it('generates an iptables-save -c dump for node-a that lags one change behind', () => {
    const demo = createDemoCluster({ startTime: start });
    const nodeA = () => demo.dumps().find((d) => d.node === LAGGING_NODE && d.kind === 'iptables');
    const sepCount = (text: string) => {
      const rs = parseIptables(text);
      expect(rs.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(rs.hasCounters).toBe(true);
      const chains = [...(rs.tables.get('nat')?.chains.values() ?? [])];
      return chains.filter(
        (c) =>
          c.name.startsWith('KUBE-SEP-') && c.rules.some((r) => r.comment?.startsWith('default/hostnames')),
      ).length;
    };
    expect(sepCount(nodeA()?.text ?? '')).toBe(3);
    demo.advance(at(PHASE_SECONDS)); // one hostnames pod unready: the cluster has 2 endpoints
    expect(sepCount(nodeA()?.text ?? '')).toBe(3); // node-a still shows the old 3
    demo.advance(at(2 * PHASE_SECONDS));
    expect(sepCount(nodeA()?.text ?? '')).toBe(2); // now it shows the previous state
  });
});
