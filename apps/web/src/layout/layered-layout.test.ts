import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { curveBumpX, line } from 'd3';
import {
  bumpPath,
  edgeWidthScale,
  layoutGraph,
  separateLabels,
  type LaidOutEdge,
  type LayoutEdgeInput,
  type LayoutNodeInput,
} from './layered-layout.js';
import { countCrossings } from './crossings.js';

/** The shape kube-proxy's iptables mode gives a ClusterIP Service with n endpoints. */
function clusterIpService(n: number): { nodes: LayoutNodeInput[]; edges: LayoutEdgeInput[] } {
  const nodes: LayoutNodeInput[] = [
    { id: 'entry:clusterIP', kind: 'entry' },
    { id: 'KUBE-SERVICES', kind: 'dispatch' },
    { id: 'KUBE-SVC-X', kind: 'service' },
  ];
  const edges: LayoutEdgeInput[] = [
    { from: 'entry:clusterIP', to: 'KUBE-SERVICES', probability: 1 },
    { from: 'KUBE-SERVICES', to: 'KUBE-SVC-X', probability: 1 },
  ];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `KUBE-SEP-${i}`, kind: 'endpoint-chain' }, { id: `10.0.0.${i}:80`, kind: 'endpoint' });
    edges.push({ from: 'KUBE-SVC-X', to: `KUBE-SEP-${i}`, probability: 1 / (n - i) });
    edges.push({ from: `KUBE-SEP-${i}`, to: `10.0.0.${i}:80`, probability: 1 });
  }
  return { nodes, edges };
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutGraph', () => {
  it('puts 3 endpoints as 3 nodes in the last layer, entries first', () => {
    const g = clusterIpService(3);
    const l = layoutGraph(g.nodes, g.edges);
    const lastLayer = l.layers[l.layers.length - 1] ?? [];
    expect(lastLayer.sort()).toEqual(['10.0.0.0:80', '10.0.0.1:80', '10.0.0.2:80']);
    expect(l.layers[0]).toEqual(['entry:clusterIP']);
    expect(l.layers.map((x) => x.length)).toEqual([1, 1, 1, 3, 3]);
  });

  it('places layers left to right by longest path from the entries', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((id) => ({ id, kind: 'service' }));
    // a→d directly and a→b→c→d: d goes after c (longest path), not next to a.
    const edges = [
      { from: 'a', to: 'd', probability: 0.5 },
      { from: 'a', to: 'b', probability: 0.5 },
      { from: 'b', to: 'c', probability: 1 },
      { from: 'c', to: 'd', probability: 1 },
    ];
    const l = layoutGraph(nodes, edges);
    const layer = Object.fromEntries(l.nodes.map((n) => [n.id, n.layer]));
    expect(layer).toEqual({ a: 0, b: 1, c: 2, d: 3 });
    const x = Object.fromEntries(l.nodes.map((n) => [n.id, n.x]));
    expect(x.a).toBeLessThan(x.b ?? 0);
    expect(x.c).toBeLessThan(x.d ?? 0);
  });

  it('moves endpoints, DROP and REJECT to the last layer even on short paths', () => {
    const nodes = [
      { id: 'e', kind: 'entry' },
      { id: 'svc', kind: 'service' },
      { id: 'sep', kind: 'endpoint-chain' },
      { id: 'pod', kind: 'endpoint' },
      { id: 'reject', kind: 'reject' },
    ];
    const edges = [
      { from: 'e', to: 'svc', probability: 1 },
      { from: 'svc', to: 'sep', probability: 1 },
      { from: 'sep', to: 'pod', probability: 1 },
      { from: 'e', to: 'reject', probability: 1 },
    ];
    const l = layoutGraph(nodes, edges);
    const byId = new Map(l.nodes.map((n) => [n.id, n]));
    expect(byId.get('reject')?.layer).toBe(byId.get('pod')?.layer);
  });

  it('gives wider edges to more likely branches', () => {
    const scale = edgeWidthScale();
    const ps = [0, 0.1, 0.25, 0.33333, 0.5, 0.9, 1];
    const ws = ps.map((p) => scale(p));
    for (let i = 1; i < ws.length; i++) expect(ws[i]).toBeGreaterThan(ws[i - 1] ?? Infinity);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => (a <= b ? scale(a) <= scale(b) : scale(a) >= scale(b)),
      ),
    );
    const g = clusterIpService(4);
    const l = layoutGraph(g.nodes, g.edges);
    const w = (to: string) => l.edges.find((e) => e.to === to)?.width ?? 0;
    // 1/4 < 1/3 < 1/2 < 1
    expect(w('KUBE-SEP-0')).toBeLessThan(w('KUBE-SEP-1'));
    expect(w('KUBE-SEP-1')).toBeLessThan(w('KUBE-SEP-2'));
    expect(w('KUBE-SEP-2')).toBeLessThan(w('KUBE-SEP-3'));
  });

  it('never overlaps two nodes', () => {
    const g = clusterIpService(25);
    const l = layoutGraph(g.nodes, g.edges, { nodeHeight: (k) => (k === 'endpoint' ? 60 : 40) });
    for (let i = 0; i < l.nodes.length; i++)
      for (let j = i + 1; j < l.nodes.length; j++) {
        const a = l.nodes[i];
        const b = l.nodes[j];
        if (a && b) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
      }
    for (const n of l.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(l.width);
      expect(n.y + n.height).toBeLessThanOrEqual(l.height);
    }
  });

  it('is deterministic and does not mutate its input', () => {
    const g = clusterIpService(7);
    const before = JSON.stringify(g);
    const a = layoutGraph(g.nodes, g.edges);
    const b = layoutGraph(structuredClone(g.nodes), structuredClone(g.edges));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(g)).toBe(before);
  });

  it('untangles crossings the input order creates', () => {
    // Endpoint chains listed in the opposite order of their endpoints cross everywhere.
    const nodes = [
      { id: 's', kind: 'service' },
      ...[0, 1, 2, 3].map((i) => ({ id: `sep${i}`, kind: 'endpoint-chain' })),
      ...[3, 2, 1, 0].map((i) => ({ id: `pod${i}`, kind: 'endpoint' })),
    ];
    const edges = [0, 1, 2, 3].flatMap((i) => [
      { from: 's', to: `sep${i}`, probability: 0.25 },
      { from: `sep${i}`, to: `pod${i}`, probability: 1 },
    ]);
    const l = layoutGraph(nodes, edges);
    expect(l.crossings).toBe(0);
  });

  it('lays out 1,000 endpoints', () => {
    const g = clusterIpService(1000);
    const l = layoutGraph(g.nodes, g.edges);
    expect(l.nodes).toHaveLength(2003);
    expect(l.layers[l.layers.length - 1]).toHaveLength(1000);
    expect(l.crossings).toBe(0);
    expect(l.edges.every((e) => e.path.startsWith('M'))).toBe(true);
  });

  it('survives cycles, dangling edges, duplicates and an empty graph', () => {
    expect(layoutGraph([], []).nodes).toEqual([]);
    const nodes = [
      { id: 'a', kind: 'service' },
      { id: 'b', kind: 'service' },
      { id: 'a', kind: 'drop' },
    ];
    const edges = [
      { from: 'a', to: 'b', probability: 1 },
      { from: 'b', to: 'a', probability: 1 },
      { from: 'b', to: 'missing', probability: 1 },
      { from: 'a', to: 'a', probability: 1 },
    ];
    const l = layoutGraph(nodes, edges);
    expect(l.nodes.map((n) => [n.id, n.layer])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(l.edges).toHaveLength(2);
  });

  it('never throws and never overlaps on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(29), fc.nat(29), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 60,
        }),
        (n, raw) => {
          const nodes = Array.from({ length: n }, (_, i) => ({
            id: `n${i}`,
            kind: i % 5 === 4 ? 'endpoint' : 'service',
          }));
          const edges = raw.map(([f, t, p]) => ({ from: `n${f % n}`, to: `n${t % n}`, probability: p }));
          const l = layoutGraph(nodes, edges);
          expect(l.nodes).toHaveLength(n);
          for (let i = 0; i < l.nodes.length; i++)
            for (let j = i + 1; j < l.nodes.length; j++) {
              const a = l.nodes[i];
              const b = l.nodes[j];
              if (a && b) expect(overlaps(a, b)).toBe(false);
            }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('countCrossings', () => {
  it('counts pairs of edges that cross', () => {
    expect(countCrossings([])).toBe(0);
    expect(
      countCrossings([
        [0, 0],
        [1, 1],
      ]),
    ).toBe(0);
    expect(
      countCrossings([
        [0, 1],
        [1, 0],
      ]),
    ).toBe(1);
    // shared endpoints do not cross
    expect(
      countCrossings([
        [0, 0],
        [0, 1],
        [1, 1],
      ]),
    ).toBe(0);
    expect(
      countCrossings([
        [0, 2],
        [1, 1],
        [2, 0],
      ]),
    ).toBe(3);
  });
});

describe('long edges', () => {
  it('route around the nodes of the layers they skip', () => {
    // cluster IP → KUBE-SERVICES → KUBE-SVC directly, and node port → NODEPORTS → EXT → SVC.
    const nodes = ['ip', 'np', 'SERVICES', 'NODEPORTS', 'EXT', 'SVC'].map((id) => ({ id, kind: 'service' }));
    const edges = [
      { from: 'ip', to: 'SERVICES', probability: 1 },
      { from: 'np', to: 'SERVICES', probability: 1 },
      { from: 'SERVICES', to: 'SVC', probability: 1 },
      { from: 'SERVICES', to: 'NODEPORTS', probability: 1 },
      { from: 'NODEPORTS', to: 'EXT', probability: 1 },
      { from: 'EXT', to: 'SVC', probability: 1 },
    ];
    const l = layoutGraph(nodes, edges, { nodeHeight: () => 40 });
    const byId = new Map(l.nodes.map((n) => [n.id, n]));
    const long = l.edges.find((e) => e.from === 'SERVICES' && e.to === 'SVC');
    const nodeports = byId.get('NODEPORTS');
    expect(long && nodeports).toBeTruthy();
    // The long edge passes the NODEPORTS column above or below the box, never through it.
    const ys = [...(long?.path ?? '').matchAll(/(-?[\d.]+),(-?[\d.]+)/g)]
      .map((m) => [Number(m[1]), Number(m[2])] as const)
      .filter(([x]) => nodeports && x >= nodeports.x && x <= nodeports.x + nodeports.width)
      .map(([, y]) => y);
    expect(ys.length).toBeGreaterThan(0);
    for (const y of ys)
      expect(nodeports && y > nodeports.y && y < nodeports.y + nodeports.height).toBe(false);
    // Placeholders never appear as nodes.
    expect(l.nodes.map((n) => n.id).sort()).toEqual(['EXT', 'NODEPORTS', 'SERVICES', 'SVC', 'ip', 'np']);
    expect(l.layers.flat()).toHaveLength(6);
  });
});

describe('vertical placement', () => {
  it('centres small graphs and keeps entries at the top of very tall ones', () => {
    const small = layoutGraph(clusterIpService(3).nodes, clusterIpService(3).edges);
    const entry = small.nodes.find((n) => n.id === 'entry:clusterIP');
    const firstEndpoint = small.nodes.find((n) => n.id === '10.0.0.0:80');
    expect(entry?.y).toBeGreaterThan(firstEndpoint?.y ?? Infinity);
    const tall = layoutGraph(clusterIpService(200).nodes, clusterIpService(200).edges);
    expect(tall.nodes.find((n) => n.id === 'entry:clusterIP')?.y).toBe(16);
  });
});

describe('rows in tall graphs', () => {
  it('keep each endpoint chain beside its endpoint, a thousand rows down, though their boxes differ in height', () => {
    const g = clusterIpService(1000);
    const l = layoutGraph(g.nodes, g.edges, { nodeHeight: (k) => (k === 'endpoint' ? 60 : 58) });
    const mid = new Map(l.nodes.map((n) => [n.id, n.y + n.height / 2]));
    for (let i = 0; i < 1000; i++)
      expect(
        Math.abs((mid.get(`KUBE-SEP-${i}`) ?? 0) - (mid.get(`10.0.0.${i}:80`) ?? Infinity)),
      ).toBeLessThanOrEqual(1);
    // One row per endpoint: the graph is no taller than the rows need.
    expect(l.height).toBe(16 * 2 + 1000 * (60 + 14) - 14);
  });
});

describe('edge labels', () => {
  it('stack the labels of parallel edges', () => {
    const nodes = [
      { id: 'svc', kind: 'service' },
      { id: 'sep', kind: 'endpoint-chain' },
    ];
    const edges = [
      { from: 'svc', to: 'sep', probability: 0 },
      { from: 'svc', to: 'sep', probability: 0.5 },
    ];
    const [a, b] = layoutGraph(nodes, edges).edges;
    expect(a && b && b.labelY - a.labelY).toBeGreaterThan(10);
  });

  it('give every label ending at one x its own line, and grow the edge boxes to hold them', () => {
    // A load balancer Service: KUBE-SERVICES fans out to the firewall chain and, past it, to the
    // Service chain; both labels end where the firewall chain starts, a few pixels apart.
    const edge = (index: number, labelY: number): LaidOutEdge => ({
      from: 'KUBE-SERVICES',
      to: `t${index}`,
      probability: 1,
      width: 2,
      path: '',
      labelX: 400,
      labelY,
      labelAnchor: 'end',
      index,
      box: { x0: 200, y0: labelY - 18, x1: 400, y1: labelY + 2 },
    });
    const edges = [edge(0, 100), edge(1, 104), edge(2, 150), { ...edge(3, 101), labelX: 600 }];
    separateLabels(edges);
    expect(edges.map((e) => e.labelY)).toEqual([100, 113, 150, 101]);
    expect(edges[1]?.box.y1).toBe(115);
    // Sorting by height first: a label above keeps its place whatever the edge order.
    const reversed = [edge(1, 104), edge(0, 100)];
    separateLabels(reversed);
    expect(reversed.map((e) => e.labelY)).toEqual([113, 100]);
  });
});

describe('wide fans', () => {
  const numbers = (path: string) =>
    [...path.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0])).filter((x) => Number.isFinite(x));

  it('leave their source by one bus; each edge draws its own branch from it', () => {
    const g = clusterIpService(40);
    const l = layoutGraph(g.nodes, g.edges, { nodeHeight: () => 40 });
    expect(l.buses).toHaveLength(1);
    const bus = l.buses[0];
    const svc = l.nodes.find((n) => n.id === 'KUBE-SVC-X');
    const seps = l.nodes.filter((n) => n.id.startsWith('KUBE-SEP-'));
    expect(bus?.from).toBe('KUBE-SVC-X');
    const fan = l.edges.filter((e) => e.from === 'KUBE-SVC-X');
    expect(fan).toHaveLength(40);
    for (const e of fan) {
      const sep = seps.find((n) => n.id === e.to);
      expect(e.bus).toBe(0);
      // A horizontal branch ending at the left side of its endpoint chain, mid-height.
      const [, y0, x1] = numbers(e.path);
      expect(y0).toBe((sep?.y ?? 0) + (sep?.height ?? 0) / 2);
      expect(x1).toBe(sep?.x);
      // Its whole route starts at the Service chain's right side.
      expect(numbers(e.route ?? '').slice(0, 2)).toEqual([
        (svc?.x ?? 0) + (svc?.width ?? 0),
        (svc?.y ?? 0) + 20,
      ]);
    }
    // The bus spans from the first to the last branch.
    const ys = seps.map((n) => n.y + n.height / 2);
    expect(bus?.box.y0).toBeLessThanOrEqual(Math.min(...ys));
    expect(bus?.box.y1).toBeGreaterThanOrEqual(Math.max(...ys));
    // Narrow fans keep their curves.
    const small = clusterIpService(3);
    const s = layoutGraph(small.nodes, small.edges);
    expect(s.buses).toEqual([]);
    expect(s.edges.every((e) => e.bus === undefined && e.path.includes('C'))).toBe(true);
  });

  it('give every edge a box holding its line and its label', () => {
    const g = clusterIpService(30);
    const l = layoutGraph(g.nodes, g.edges);
    for (const e of l.edges) {
      const xs = numbers(e.path).filter((_, i) => i % 2 === 0);
      const ys = numbers(e.path).filter((_, i) => i % 2 === 1);
      if (e.bus === undefined) {
        expect(Math.min(...xs)).toBeGreaterThanOrEqual(e.box.x0);
        expect(Math.max(...xs)).toBeLessThanOrEqual(e.box.x1);
        expect(Math.min(...ys)).toBeGreaterThanOrEqual(e.box.y0);
        expect(Math.max(...ys)).toBeLessThanOrEqual(e.box.y1);
      }
      expect(e.labelX).toBeGreaterThanOrEqual(e.box.x0);
      expect(e.labelX).toBeLessThanOrEqual(e.box.x1);
      expect(e.labelY - 4).toBeGreaterThanOrEqual(e.box.y0);
      expect(e.labelY - 4).toBeLessThanOrEqual(e.box.y1);
    }
  });
});

describe('bumpPath', () => {
  it('writes the same path as d3-shape’s curveBumpX', () => {
    const d3 = line().curve(curveBumpX);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1e4, max: 1e4, noNaN: true }),
            fc.double({ min: -1e4, max: 1e4, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (points) => {
          expect(bumpPath(points)).toBe(d3(points) ?? '');
        },
      ),
    );
  });
});
