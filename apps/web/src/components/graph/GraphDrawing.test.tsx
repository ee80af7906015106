import { describe, it, expect } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { EndpointDto, ServiceGraph } from '@svcpath/core';
import { compareGraphs } from '../../layout/drift.js';
import { withEntryNodes } from '../../layout/graph-model.js';
import { viewArea } from '../../layout/viewport.js';
import { buildDrawing, layoutFor } from './drawing-model.js';
import { GraphDrawing } from './GraphDrawing.js';

/** A Service with n endpoints as the server sends it for iptables mode. */
function bigService(n: number): { graph: ServiceGraph; endpoints: EndpointDto[] } {
  const svc = 'KUBE-SVC-BIG';
  const ips = Array.from({ length: n }, (_, i) => `10.50.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  const graph: ServiceGraph = {
    service: 'ns/big:http',
    protocol: 'tcp',
    chain: svc,
    entries: [{ kind: 'clusterIP', ip: '10.100.0.1', port: 80, target: svc, rule: null }],
    endpoints: ips.map((ip, i) => ({ address: `${ip}:8080`, chain: `KUBE-SEP-${i}`, probability: 1 / n })),
    nodes: [
      { id: svc, kind: 'service', label: svc },
      ...ips.flatMap((ip, i) => [
        { id: `KUBE-SEP-${i}`, kind: 'endpoint-chain' as const, label: `KUBE-SEP-${i}` },
        { id: `${ip}:8080`, kind: 'endpoint' as const, label: `${ip}:8080` },
      ]),
    ],
    edges: ips.flatMap((ip, i) => [
      { from: svc, to: `KUBE-SEP-${i}`, probability: 1 / (n - i), rule: null },
      { from: `KUBE-SEP-${i}`, to: `${ip}:8080`, probability: 1, rule: null },
    ]),
    warnings: [],
  };
  const endpoints: EndpointDto[] = ips.map((ip, i) => ({
    address: ip,
    port: 8080,
    portName: 'http',
    protocol: 'TCP',
    ready: true,
    serving: true,
    terminating: false,
    nodeName: `node-${i % 3}`,
    zone: null,
    pod: `big-${i}`,
  }));
  return { graph, endpoints };
}

function modelOf(n: number) {
  const { graph, endpoints } = bigService(n);
  const drift = compareGraphs(withEntryNodes(graph), null);
  return buildDrawing({ graph, endpoints, view: 'actual', drift, layout: layoutFor(drift.merged) });
}

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

describe('GraphDrawing', () => {
  const model = modelOf(300);
  const boxes = model.nodes.length; // entry + Service chain + 300 chains + 300 endpoints

  it('keeps every box, focusable and labelled, but draws text and edges only around the view', () => {
    const top = viewArea({ left: 0, top: 0, width: 1400, height: 700 }, 1, 200);
    const html = renderToStaticMarkup(
      <GraphDrawing model={model} title="big" scale={1} area={top} interactive />,
    );
    expect(boxes).toBe(602);
    expect(count(html, /data-node-id=/g)).toBe(boxes);
    expect(count(html, /aria-label="Endpoint 10\.50\./g)).toBe(300);
    expect(html).toContain(
      'aria-label="Endpoint 10.50.1.50:8080, share 0.3 %, pod big-299 on node-2, ready"',
    );
    // Text in the boxes near the top only.
    expect(html).toContain('>10.50.0.1:8080   0.3 %</text>');
    expect(html).not.toContain('>10.50.1.50:8080   0.3 %</text>');
    const edges = count(html, /data-edge=/g);
    expect(edges).toBeGreaterThan(5);
    expect(edges).toBeLessThan(60);
    // Boxes far from the view are empty groups: nothing to lay out or paint.
    expect(count(html, /<rect/g)).toBeLessThan(40);
    expect(html).toMatch(/aria-label="Endpoint 10\.50\.1\.50:8080[^"]*"><\/g>/);
    // One bus carries the fan, and the elements stay few.
    expect(count(html, /class="graph-bus"/g)).toBe(1);
    expect(count(html, /<(g|rect|text|path)\b/g)).toBeLessThan(boxes + 250);
  });

  it('draws everything, every label included, without an area (the export)', () => {
    const html = renderToStaticMarkup(
      <GraphDrawing model={model} title="big" scale={1} area={null} interactive={false} />,
    );
    expect(count(html, /data-edge=/g)).toBe(model.layout.edges.length);
    expect(html).toContain('>10.50.1.50:8080   0.3 %</text>');
    expect(html).toContain('>KUBE-SEP-299</text>');
    // Probabilities as kube-proxy writes them, down to the last branch.
    expect(html).toContain('>0.00333</text>');
    expect(html).toContain('>0.5</text>');
    // Nothing in the file waits for a keyboard.
    expect(html).not.toContain('tabindex');
  });

  it('leaves out the text when zoomed out too far to read it', () => {
    const all = viewArea({ left: 0, top: 0, width: 1400, height: 700 }, 0.01, 0);
    const html = renderToStaticMarkup(
      <GraphDrawing model={model} title="big" scale={0.01} area={all} interactive />,
    );
    expect(count(html, /data-node-id=/g)).toBe(boxes);
    expect(count(html, /<text/g)).toBe(0);
    expect(count(html, /data-edge=/g)).toBe(model.layout.edges.length);
  });

  it('keeps the edge that has keyboard focus drawn when the view moves away', () => {
    const top = viewArea({ left: 0, top: 0, width: 1400, height: 700 }, 1, 0);
    const last = model.layout.edges.length - 1;
    const html = renderToStaticMarkup(
      <GraphDrawing model={model} title="big" scale={1} area={top} interactive keepEdges={[last]} />,
    );
    expect(html).toContain(`data-edge="${last}"`);
  });
});

describe('layoutFor', () => {
  it('reuses the layout of a graph re-sent unchanged, and lays out a changed one again', () => {
    const a = withEntryNodes(bigService(20).graph);
    const b = withEntryNodes(structuredClone(bigService(20).graph));
    expect(layoutFor(b)).toBe(layoutFor(a));
    const changed = structuredClone(bigService(20).graph);
    const e = changed.edges[0];
    if (e) e.probability = 0.25;
    expect(layoutFor(withEntryNodes(changed))).not.toBe(layoutFor(a));
  });
});
