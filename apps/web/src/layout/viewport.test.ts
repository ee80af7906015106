import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { layoutGraph, type LayoutEdgeInput, type LayoutNodeInput } from './layered-layout.js';
import {
  clampTranslation,
  covers,
  drawArea,
  fitScale,
  initialScale,
  intersects,
  viewArea,
  visibleSet,
  zoomRange,
} from './viewport.js';

/** A ClusterIP Service with n endpoints, as iptables mode draws it. */
function service(n: number): { nodes: LayoutNodeInput[]; edges: LayoutEdgeInput[] } {
  const nodes: LayoutNodeInput[] = [
    { id: 'entry', kind: 'entry' },
    { id: 'svc', kind: 'service' },
  ];
  const edges: LayoutEdgeInput[] = [{ from: 'entry', to: 'svc', probability: 1 }];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `sep${i}`, kind: 'endpoint-chain' }, { id: `pod${i}`, kind: 'endpoint' });
    edges.push({ from: 'svc', to: `sep${i}`, probability: 1 / (n - i) });
    edges.push({ from: `sep${i}`, to: `pod${i}`, probability: 1 });
  }
  return { nodes, edges };
}

const big = service(1000);
const layout = layoutGraph(big.nodes, big.edges, { nodeWidth: 212, layerGap: 110, nodeHeight: () => 58 });

describe('viewArea', () => {
  it('turns scroll offsets and a zoom into layout coordinates, with a margin in screen pixels', () => {
    expect(viewArea({ left: 200, top: 1000, width: 800, height: 600 }, 2, 100)).toEqual({
      x0: 50,
      y0: 450,
      x1: 550,
      y1: 850,
    });
  });
});

describe('visibleSet', () => {
  it('keeps the nodes and edges whose boxes meet the area, and nothing far away', () => {
    // The top of the graph: entry, the Service chain, its bus, and the first endpoint rows.
    const area = viewArea({ left: 0, top: 0, width: 1400, height: 700 }, 1, 0);
    const v = visibleSet(layout, area);
    const shown = layout.nodes.filter((_, i) => v.nodes[i] === 1).map((n) => n.id);
    expect(shown).toEqual(expect.arrayContaining(['entry', 'svc', 'sep0', 'pod0']));
    expect(shown).not.toContain('pod999');
    expect(shown.length).toBeLessThan(40);
    expect(v.edges.length).toBeLessThan(40);
    expect(v.buses).toEqual([0]);
    // Every node whose box lies inside the area is in the set; none outside it.
    layout.nodes.forEach((n, i) => {
      const box = { x0: n.x, y0: n.y, x1: n.x + n.width, y1: n.y + n.height };
      expect(v.nodes[i] === 1).toBe(intersects(area, box));
    });
  });

  it('finds the far end of the graph when scrolled there', () => {
    const bottom = viewArea({ left: 0, top: layout.height - 700, width: 1400, height: 700 }, 1, 0);
    const v = visibleSet(layout, bottom);
    const edges = v.edges.map((i) => layout.edges[i]?.to);
    expect(edges).toContain('pod999');
    expect(edges).toContain('sep999');
    expect(edges).not.toContain('sep0');
    // The bus runs the whole height, so it is drawn wherever one looks.
    expect(v.buses).toEqual([0]);
  });

  it('draws everything without an area (the export)', () => {
    const v = visibleSet(layout, null);
    expect(v.nodes.every((x) => x === 1)).toBe(true);
    expect(v.edges).toHaveLength(layout.edges.length);
  });

  it('includes an edge that crosses the area even when both its ends are outside', () => {
    // a → b skips a layer whose tall column pushes the area between the two ends.
    const l = layoutGraph(
      [
        { id: 'a', kind: 'service' },
        { id: 'b', kind: 'service' },
        { id: 'm', kind: 'service' },
        { id: 'c', kind: 'service' },
      ],
      [
        { from: 'a', to: 'm', probability: 1 },
        { from: 'm', to: 'c', probability: 1 },
        { from: 'a', to: 'c', probability: 1 },
      ],
      { nodeWidth: 100, layerGap: 400, nodeHeight: () => 40 },
    );
    const long = l.edges.findIndex((e) => e.from === 'a' && e.to === 'c');
    const m = l.nodes.find((n) => n.id === 'm');
    expect(m).toBeDefined();
    // Only the gap just left of the middle column, between the two ends.
    const area = { x0: (m?.x ?? 0) - 150, x1: (m?.x ?? 0) - 140, y0: 0, y1: l.height };
    expect(visibleSet(l, area).edges).toContain(long);
  });

  it('never misses a node that meets a random area', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -500, max: layout.width, noNaN: true }),
        fc.double({ min: -500, max: layout.height, noNaN: true }),
        fc.double({ min: 1, max: 3000, noNaN: true }),
        fc.double({ min: 1, max: 3000, noNaN: true }),
        (x, y, w, h) => {
          const area = { x0: x, y0: y, x1: x + w, y1: y + h };
          const v = visibleSet(layout, area);
          layout.nodes.forEach((n, i) => {
            const inside =
              n.x < area.x1 && n.x + n.width > area.x0 && n.y < area.y1 && n.y + n.height > area.y0;
            if (inside) expect(v.nodes[i]).toBe(1);
          });
          for (const i of v.edges) expect(intersects(area, layout.edges[i]?.box ?? area)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('drawArea', () => {
  const view = { left: 0, top: 5000, width: 1000, height: 700 };

  it('keeps the drawn area (same object) for small scrolls and moves it for larger ones', () => {
    const first = drawArea(null, view, 1, 400);
    expect(first).toEqual({ x0: -400, y0: 4600, x1: 1400, y1: 6100 });
    expect(drawArea(first, { ...view, top: 5150 }, 1, 400)).toBe(first);
    const moved = drawArea(first, { ...view, top: 5300 }, 1, 400);
    expect(moved).not.toBe(first);
    expect(covers(moved, viewArea({ ...view, top: 5300 }, 1, 0))).toBe(true);
  });

  it('grows the area when zooming out shows more of the layout', () => {
    const first = drawArea(null, view, 1, 400);
    const out = drawArea(first, { ...view, top: 2500 }, 0.5, 400);
    expect(out).not.toBe(first);
    expect(out.y1 - out.y0).toBeGreaterThan(first.y1 - first.y0);
  });

  it('always covers the view, wherever it scrolls and whatever the zoom', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            left: fc.double({ min: 0, max: 5000, noNaN: true }),
            top: fc.double({ min: 0, max: 80000, noNaN: true }),
            k: fc.double({ min: 0.01, max: 4, noNaN: true }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (steps) => {
          let area = null;
          for (const s of steps) {
            const v = { left: s.left, top: s.top, width: 1200, height: 700 };
            area = drawArea(area, v, s.k, 480);
            expect(covers(area, viewArea(v, s.k, 0))).toBe(true);
          }
        },
      ),
    );
  });
});

describe('zoom levels', () => {
  it('opens wide graphs fitted to the width, never below the readable minimum, never enlarged', () => {
    expect(initialScale(900, 1400)).toBe(1);
    expect(initialScale(1500, 1350)).toBeCloseTo(0.9);
    expect(initialScale(4000, 1000)).toBe(0.75);
    expect(initialScale(1500, 0)).toBe(1);
  });

  it('fits the whole graph in the box, and lets one zoom out that far', () => {
    expect(fitScale({ width: 1532, height: 74000 }, 1370, 700)).toBeCloseTo(700 / 74000);
    expect(fitScale({ width: 500, height: 300 }, 1370, 700)).toBe(1);
    const [min, max] = zoomRange({ width: 1532, height: 74000 }, 1370, 700);
    expect(min).toBeCloseTo(700 / 74000);
    expect(max).toBe(4);
    // Small graphs may still be zoomed out to half size.
    expect(zoomRange({ width: 500, height: 300 }, 1370, 700)[0]).toBe(0.5);
  });

  it('clamps a pan to what a scroll box can show', () => {
    const view = { width: 1000, height: 700 };
    const content = { width: 1500, height: 74000 };
    expect(clampTranslation({ x: 50, y: 20, k: 1 }, view, content)).toEqual({ x: 0, y: 0, k: 1 });
    expect(clampTranslation({ x: -900, y: -80000, k: 1 }, view, content)).toEqual({
      x: -500,
      y: -73300,
      k: 1,
    });
    expect(clampTranslation({ x: -100, y: -100, k: 0.005 }, view, content)).toEqual({ x: 0, y: 0, k: 0.005 });
    expect(clampTranslation({ x: -120, y: -3000, k: 1 }, view, content)).toEqual({ x: -120, y: -3000, k: 1 });
  });
});
