import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router-dom';
import type { EndpointDto, ServiceGraph } from '@svcpath/core';
import { GraphView } from './GraphView.js';

const svc = 'KUBE-SVC-ODX2UBAZM7RQWOIU';
const sep = (i: number) => `KUBE-SEP-${i}`;
const graph: ServiceGraph = {
  service: 'default/hostnames:default',
  protocol: 'tcp',
  chain: svc,
  entries: [
    {
      kind: 'clusterIP',
      ip: '10.96.0.20',
      port: 80,
      target: svc,
      rule: {
        table: 'nat',
        chain: 'KUBE-SERVICES',
        rule: 1,
        text: `-A KUBE-SERVICES -d 10.96.0.20/32 -j ${svc}`,
      },
    },
  ],
  endpoints: [1, 2, 3].map((i) => ({ address: `10.32.0.${i}:9376`, chain: sep(i), probability: 1 / 3 })),
  nodes: [
    { id: svc, kind: 'service', label: svc, affinitySeconds: 10800 },
    ...[1, 2, 3].map((i) => ({
      id: sep(i),
      kind: 'endpoint-chain' as const,
      label: sep(i),
      masquerade: true,
    })),
    ...[1, 2, 3].map((i) => ({
      id: `10.32.0.${i}:9376`,
      kind: 'endpoint' as const,
      label: `10.32.0.${i}:9376`,
    })),
  ],
  edges: [
    ...[1, 2, 3].map((i) => ({ from: svc, to: sep(i), probability: 1 / (4 - i), rule: null })),
    ...[1, 2, 3].map((i) => ({ from: sep(i), to: `10.32.0.${i}:9376`, probability: 1, rule: null })),
  ],
  warnings: [],
};
const endpoints: EndpointDto[] = [1, 2, 3].map((i) => ({
  address: `10.32.0.${i}`,
  port: 9376,
  portName: 'default',
  protocol: 'TCP',
  ready: i !== 3,
  serving: i !== 3,
  terminating: false,
  nodeName: `node-${i}`,
  zone: null,
  pod: `hostnames-${i}`,
}));

const render = (props: Partial<Parameters<typeof GraphView>[0]> = {}) =>
  renderToStaticMarkup(
    <MemoryRouter>
      <GraphView graph={graph} endpoints={endpoints} view="actual" title="path" {...props} />
    </MemoryRouter>,
  );

describe('GraphView', () => {
  it('draws every branch probability and each endpoint’s share, pod, node and readiness in words', () => {
    const html = render();
    for (const p of ['0.33333', '0.5', '>1<']) expect(html).toContain(p);
    expect(html.match(/33\.3 %/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('pod hostnames-1');
    expect(html).toContain('node node-2');
    expect(html).toContain('✕ not ready');
    expect(html).toContain('⇄ MASQ');
    expect(html).toContain('affinity 10800 s');
    // The cluster IP entry is drawn even though the graph lists it only under entries.
    expect(html).toContain('cluster IP 10.96.0.20:80');
  });

  it('makes nodes and edges keyboard-focusable with labels that say what they are', () => {
    const html = render();
    const focusable = html.match(/tabindex="0"/g)?.length ?? 0;
    // 8 nodes (entry, service, 3 chains, 3 endpoints) and 7 edges.
    expect(focusable).toBe(15);
    expect(html).toContain(
      'aria-label="Edge from KUBE-SVC-ODX2UBAZM7RQWOIU to KUBE-SEP-1, probability 0.33333"',
    );
    expect(html).toMatch(
      /aria-label="Endpoint 10\.32\.0\.3:9376, share 33\.3 %, pod hostnames-3 on node-3, not ready"/,
    );
  });

  it('marks drift against the other view with words, not only colour', () => {
    const expected: ServiceGraph = {
      ...graph,
      nodes: graph.nodes.filter((n) => n.id !== sep(3)),
      edges: graph.edges.filter((e) => e.to !== sep(3) && e.from !== sep(3)),
    };
    const html = render({ other: expected });
    expect(html).toContain('extra: not expected');
    const missing = render({ other: graph, graph: expected, view: 'actual' });
    expect(missing).toContain('missing: expected here');
  });

  it('highlights a traced path and dims the rest', () => {
    const html = render({
      highlight: { nodes: new Set([svc, sep(2)]), edges: new Set([`${svc}\u2192${sep(2)}`]) },
    });
    expect(html).toContain('class="path-graph dimmed"');
    expect(html.match(/class="edge hl"/g)).toHaveLength(1);
  });
});
