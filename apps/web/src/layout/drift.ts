import type { GraphEdge, GraphNode } from '@svcpath/core';
import type { DrawableGraph } from './graph-model.js';

/** Expected vs actual for one Service port, as marks on the graph being shown. */

export type DriftStatus = 'same' | 'only-here' | 'only-other' | 'changed';

export interface DriftMarks {
  nodes: Map<string, DriftStatus>;
  edges: Map<string, { status: DriftStatus; otherProbability?: number }>;
  /** The union graph: what is shown plus what only the other view has (drawn as ghosts). */
  merged: DrawableGraph;
  count: number;
}

export const edgeKey = (e: Pick<GraphEdge, 'from' | 'to'>): string => `${e.from}\u2192${e.to}`;

const PROBABILITY_TOLERANCE = 1e-4;

export function compareGraphs(current: DrawableGraph, other: DrawableGraph | null): DriftMarks {
  const nodes = new Map<string, DriftStatus>();
  const edges = new Map<string, { status: DriftStatus; otherProbability?: number }>();
  // Each edge's key is built once: a Service with 1,000 endpoints has thousands of edges.
  const keys = current.edges.map(edgeKey);
  if (other === null) {
    for (const n of current.nodes) nodes.set(n.id, 'same');
    const same = { status: 'same' as const };
    for (const k of keys) edges.set(k, same);
    return { nodes, edges, merged: current, count: 0 };
  }
  const otherKeys = other.edges.map(edgeKey);
  const otherNodes = new Set(other.nodes.map((n) => n.id));
  const otherEdges = new Map<string, GraphEdge>();
  other.edges.forEach((e, i) => otherEdges.set(otherKeys[i] ?? edgeKey(e), e));
  const ghostNodes: GraphNode[] = [];
  const ghostEdges: GraphEdge[] = [];
  let count = 0;

  for (const n of current.nodes) {
    const s: DriftStatus = otherNodes.has(n.id) ? 'same' : 'only-here';
    if (s !== 'same') count++;
    nodes.set(n.id, s);
  }
  const here = new Set(current.nodes.map((n) => n.id));
  for (const n of other.nodes)
    if (!here.has(n.id)) {
      nodes.set(n.id, 'only-other');
      ghostNodes.push(n);
      count++;
    }
  current.edges.forEach((e, i) => {
    const key = keys[i] ?? edgeKey(e);
    const o = otherEdges.get(key);
    if (!o) {
      edges.set(key, { status: 'only-here' });
      if (nodes.get(e.from) === 'same' && nodes.get(e.to) === 'same') count++;
    } else if (Math.abs(o.probability - e.probability) > PROBABILITY_TOLERANCE) {
      edges.set(key, { status: 'changed', otherProbability: o.probability });
      count++;
    } else edges.set(key, { status: 'same' });
  });
  const hereEdges = new Set(keys);
  other.edges.forEach((e, i) => {
    if (!hereEdges.has(otherKeys[i] ?? edgeKey(e))) {
      edges.set(otherKeys[i] ?? edgeKey(e), { status: 'only-other' });
      ghostEdges.push(e);
    }
  });
  return {
    nodes,
    edges,
    merged: { nodes: [...current.nodes, ...ghostNodes], edges: [...current.edges, ...ghostEdges] },
    count,
  };
}
