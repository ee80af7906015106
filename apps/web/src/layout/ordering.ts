import { countCrossings } from './crossings.js';

/** Orders nodes within layers to reduce edge crossings (barycenter heuristic, alternating sweeps). */

export interface OrderInput {
  /** Nodes per layer, in their initial (input) order. */
  layers: string[][];
  edges: ReadonlyArray<{ from: string; to: string }>;
  layerOf: ReadonlyMap<string, number>;
  sweeps?: number;
}

export function orderLayers({ layers, edges, layerOf, sweeps = 8 }: OrderInput): {
  layers: string[][];
  crossings: number;
} {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const e of edges) {
    const lf = layerOf.get(e.from);
    const lt = layerOf.get(e.to);
    if (lf === undefined || lt === undefined || lf >= lt) continue;
    (preds.get(e.to) ?? preds.set(e.to, []).get(e.to))?.push(e.from);
    (succs.get(e.from) ?? succs.set(e.from, []).get(e.from))?.push(e.to);
  }

  let current = layers.map((l) => [...l]);
  let best = current.map((l) => [...l]);
  let bestCrossings = totalCrossings(best, edges, layerOf);

  for (let sweep = 0; sweep < sweeps && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const pos = positions(current);
    const range = down ? indices(1, current.length) : indices(0, current.length - 1).reverse();
    for (const li of range) {
      const layer = current[li] ?? [];
      const neighbours = down ? preds : succs;
      const keyed = layer.map((id, i) => {
        const ns = neighbours.get(id) ?? [];
        // Nodes without neighbours on the reference side keep their place.
        const bary = ns.length === 0 ? i / Math.max(1, layer.length) : mean(ns.map((n) => pos.get(n) ?? 0));
        return { id, bary, i };
      });
      keyed.sort((a, b) => a.bary - b.bary || a.i - b.i);
      current[li] = keyed.map((k) => k.id);
      current[li]?.forEach((id, i) => pos.set(id, i / Math.max(1, current[li]?.length ?? 1)));
    }
    const c = totalCrossings(current, edges, layerOf);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = current.map((l) => [...l]);
    }
  }
  current = best;
  return { layers: current, crossings: bestCrossings };
}

/** Crossings among edges joining adjacent layers. */
export function totalCrossings(
  layers: string[][],
  edges: ReadonlyArray<{ from: string; to: string }>,
  layerOf: ReadonlyMap<string, number>,
): number {
  const index = new Map<string, number>();
  for (const l of layers) l.forEach((id, i) => index.set(id, i));
  const byLayer = new Map<number, Array<readonly [number, number]>>();
  for (const e of edges) {
    const lf = layerOf.get(e.from);
    const lt = layerOf.get(e.to);
    if (lf === undefined || lt === undefined || lt !== lf + 1) continue;
    const list = byLayer.get(lf) ?? [];
    list.push([index.get(e.from) ?? 0, index.get(e.to) ?? 0]);
    byLayer.set(lf, list);
  }
  let total = 0;
  for (const pairs of byLayer.values()) total += countCrossings(pairs);
  return total;
}

/** Position in a layer, normalised to [0, 1) so layers of different sizes compare. */
function positions(layers: string[][]): Map<string, number> {
  const pos = new Map<string, number>();
  for (const l of layers) l.forEach((id, i) => pos.set(id, i / Math.max(1, l.length)));
  return pos;
}

const indices = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
