import type { ClusterState, Pod } from '@svcpath/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPodIndex, podIndexOf, queryPods, type PodQuery } from './pod-index.js';

/** 10,000 pods in 40 namespaces on 100 nodes, listed in no particular order. */
function manyPods(n = 10_000): Pod[] {
  return Array.from({ length: n }, (_, k) => {
    const i = (k * 7919) % n;
    return {
      metadata: { name: `pod-${i}`, namespace: `ns-${i % 40}`, labels: { app: `a${i % 13}` } },
      spec: { nodeName: `node-${i % 100}`, hostNetwork: i % 500 === 0 },
      status: {
        phase: 'Running',
        podIPs: [{ ip: `10.${Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}` }],
        conditions: [{ type: 'Ready', status: i % 9 === 0 ? 'False' : 'True' }],
      },
    };
  });
}

/** What a query means, written the slow and obvious way. */
function naive(pods: readonly Pod[], q: PodQuery): string[] {
  const terms = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return pods
    .filter((p) => q.namespace === undefined || p.metadata.namespace === q.namespace)
    .filter((p) => q.node === undefined || p.spec?.nodeName === q.node)
    .filter((p) => {
      const text = [
        `${p.metadata.namespace}/${p.metadata.name}`,
        ...(p.status?.podIPs ?? []).map((x) => x.ip),
        p.spec?.nodeName ?? '',
      ]
        .join(' ')
        .toLowerCase();
      return terms.every((t) => text.includes(t));
    })
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    .sort();
}

describe('pod index', () => {
  const pods = manyPods();
  const index = buildPodIndex(pods);

  it('keeps 10,000 pods sorted by namespace, then name', () => {
    expect(index.summaries).toHaveLength(10_000);
    const keys = index.summaries.map((p) => `${p.namespace}/${p.name}`);
    expect(keys).toEqual([...keys].sort());
    expect(index.namespaceRanges.size).toBe(40);
  });

  it('answers like a plain filter of the pods, for any query', () => {
    const query = fc.record({
      q: fc.option(
        fc
          .array(fc.constantFrom('pod-1', '7', 'ns-3/', 'node-42', '10.0.', '.1', 'POD', '99', 'zzz'), {
            maxLength: 3,
          })
          .map((t) => t.join(' ')),
        { nil: undefined },
      ),
      namespace: fc.option(fc.constantFrom('ns-0', 'ns-3', 'ns-39', 'ns-40'), { nil: undefined }),
      node: fc.option(fc.constantFrom('node-1', 'node-42', 'node-100'), { nil: undefined }),
      offset: fc.nat(12_000),
      limit: fc.integer({ min: 1, max: 500 }),
    });
    fc.assert(
      fc.property(query, (q) => {
        const expected = naive(pods, q);
        const got = queryPods(index, q);
        expect(got.total).toBe(expected.length);
        expect(got.items.map((p) => `${p.namespace}/${p.name}`)).toEqual(
          expected.slice(q.offset, q.offset + q.limit),
        );
        expect(got.items.length).toBeLessThanOrEqual(q.limit);
      }),
      { numRuns: 60 },
    );
  });

  it('builds once per cluster state and again for a new one', () => {
    const cluster: ClusterState = { services: [], endpointSlices: [], pods, nodes: [] };
    const first = podIndexOf(cluster);
    expect(podIndexOf(cluster)).toBe(first);
    const next: ClusterState = { ...cluster, pods: pods.slice(0, 10) };
    expect(podIndexOf(next)).not.toBe(first);
    expect(podIndexOf(next).summaries).toHaveLength(10);
  });
});
