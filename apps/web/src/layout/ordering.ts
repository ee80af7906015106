import { countCrossings } from './crossings.js';

/**
 * Orders nodes within layers to reduce edge crossings (barycenter heuristic, alternating sweeps).
 * Each sweep sorts every layer once and counts crossings by inversions, so a sweep costs
 * O(E log E) however wide the layers are (a Service with 1,000 endpoints has 1,000-wide layers).
 */

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
  // Nodes as integers: index = position in the flattened input layers.
  const ids = layers.flat();
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const adjacent = adjacentEdges(edges, layerOf, index, layers.length);

  let current = layers.map((l) => l.map((id) => index.get(id) ?? 0));
  let best = current.map((l) => [...l]);
  let bestCrossings = crossingsOf(best, adjacent, ids.length);
  if (bestCrossings === 0) return { layers: layers.map((l) => [...l]), crossings: 0 };
  const preds: number[][] = ids.map(() => []);
  const succs: number[][] = ids.map(() => []);
  for (const e of edges) {
    const lf = layerOf.get(e.from);
    const lt = layerOf.get(e.to);
    const f = index.get(e.from);
    const t = index.get(e.to);
    if (lf === undefined || lt === undefined || f === undefined || t === undefined || lf >= lt) continue;
    preds[t]?.push(f);
    succs[f]?.push(t);
  }
  const pos = new Float64Array(ids.length);

  for (let sweep = 0; sweep < sweeps && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    // Position in a layer, normalised to [0, 1) so layers of different sizes compare.
    for (const l of current) l.forEach((u, i) => (pos[u] = i / Math.max(1, l.length)));
    const neighbours = down ? preds : succs;
    const range = down ? indices(1, current.length) : indices(0, current.length - 1).reverse();
    for (const li of range) {
      const layer = current[li] ?? [];
      const keyed = layer.map((u, i) => {
        const ns = neighbours[u] ?? [];
        // Nodes without neighbours on the reference side keep their place.
        let bary = i / Math.max(1, layer.length);
        if (ns.length > 0) {
          let sum = 0;
          for (const v of ns) sum += pos[v] as number;
          bary = sum / ns.length;
        }
        return { u, bary, i };
      });
      keyed.sort((a, b) => a.bary - b.bary || a.i - b.i);
      const next = keyed.map((k) => k.u);
      current[li] = next;
      next.forEach((u, i) => (pos[u] = i / Math.max(1, next.length)));
    }
    const c = crossingsOf(current, adjacent, ids.length);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = current.map((l) => [...l]);
    }
  }
  current = best;
  return { layers: current.map((l) => l.map((u) => ids[u] ?? '')), crossings: bestCrossings };
}

/** Crossings among edges joining adjacent layers. */
export function totalCrossings(
  layers: string[][],
  edges: ReadonlyArray<{ from: string; to: string }>,
  layerOf: ReadonlyMap<string, number>,
): number {
  const ids = layers.flat();
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const numbered = layers.map((l) => l.map((id) => index.get(id) ?? 0));
  return crossingsOf(numbered, adjacentEdges(edges, layerOf, index, layers.length), ids.length);
}

/** Edges from each layer to the next, as [from, to] node numbers, grouped by the upper layer. */
function adjacentEdges(
  edges: ReadonlyArray<{ from: string; to: string }>,
  layerOf: ReadonlyMap<string, number>,
  index: ReadonlyMap<string, number>,
  layerCount: number,
): Array<Array<readonly [number, number]>> {
  const byLayer: Array<Array<readonly [number, number]>> = Array.from({ length: layerCount }, () => []);
  for (const e of edges) {
    const lf = layerOf.get(e.from);
    const lt = layerOf.get(e.to);
    const f = index.get(e.from);
    const t = index.get(e.to);
    if (lf === undefined || lt !== lf + 1 || f === undefined || t === undefined) continue;
    byLayer[lf]?.push([f, t]);
  }
  return byLayer;
}

function crossingsOf(
  layers: number[][],
  adjacent: Array<Array<readonly [number, number]>>,
  nodeCount: number,
): number {
  const at = new Int32Array(nodeCount);
  for (const l of layers) l.forEach((u, i) => (at[u] = i));
  let total = 0;
  for (const pairs of adjacent)
    if (pairs.length > 1) total += countCrossings(pairs.map(([f, t]) => [at[f] ?? 0, at[t] ?? 0] as const));
  return total;
}

const indices = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
