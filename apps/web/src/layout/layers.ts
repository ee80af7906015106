/** Layer assignment for the path graph: longest path from the entry points. */

export interface LayerInput {
  ids: readonly string[];
  edges: ReadonlyArray<{ from: string; to: string }>;
  /** Ids that must sit in the last layer (endpoints, DROP, REJECT). */
  last: ReadonlySet<string>;
}

/**
 * Returns each node's layer. Cycles (possible in arbitrary dumps) are broken by ignoring
 * the edges a depth-first search finds going back, so the result is always defined and
 * depends only on input order. Linear in nodes and edges: the work is done on integer
 * indices, since a Service with 1,000 endpoints has thousands of each.
 */
export function assignLayers({ ids, edges, last }: LayerInput): Map<string, number> {
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  const graph = adjacency(n, edges, index);
  const back = findBackEdges(n, graph);

  const indeg = new Int32Array(n);
  for (let e = 0; e < graph.to.length; e++)
    if (back[e] === 0) {
      const v = graph.to[e] as number;
      indeg[v] = (indeg[v] as number) + 1;
    }
  const layer = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let u = 0; u < n; u++) if (indeg[u] === 0) queue[tail++] = u;
  for (let head = 0; head < tail; head++) {
    const u = queue[head] as number;
    const lu = layer[u] as number;
    for (let e = graph.start[u] as number; e < (graph.start[u + 1] as number); e++) {
      if (back[e] === 1) continue;
      const v = graph.to[e] as number;
      if ((layer[v] as number) < lu + 1) layer[v] = lu + 1;
      indeg[v] = (indeg[v] as number) - 1;
      if (indeg[v] === 0) queue[tail++] = v;
    }
  }

  let max = 0;
  for (let u = 0; u < n; u++) max = Math.max(max, layer[u] as number);
  const out = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.get(id) === i) out.set(id, layer[i] as number);
  });
  for (const id of last) {
    const u = index.get(id);
    if (u === undefined) continue;
    let sink = true;
    for (let e = graph.start[u] as number; e < (graph.start[u + 1] as number) && sink; e++)
      sink = back[e] === 1;
    if (sink) out.set(id, max);
  }
  return out;
}

/** Successor lists in compressed form: the edges leaving u are start[u] .. start[u+1]-1, in input order. */
interface Adjacency {
  start: Int32Array;
  to: Int32Array;
}

function adjacency(
  n: number,
  edges: ReadonlyArray<{ from: string; to: string }>,
  index: ReadonlyMap<string, number>,
): Adjacency {
  const pairs: number[] = [];
  const count = new Int32Array(n + 1);
  for (const e of edges) {
    const f = index.get(e.from);
    const t = index.get(e.to);
    if (f === undefined || t === undefined) continue;
    pairs.push(f, t);
    count[f + 1] = (count[f + 1] as number) + 1;
  }
  const start = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) start[u + 1] = (start[u] as number) + (count[u + 1] as number);
  const fill = start.slice(0, n);
  const to = new Int32Array(pairs.length / 2);
  for (let p = 0; p < pairs.length; p += 2) {
    const u = pairs[p] as number;
    const slot = fill[u] as number;
    fill[u] = slot + 1;
    to[slot] = pairs[p + 1] as number;
  }
  return { start, to };
}

/** 1 for each edge (by its place in `to`) that a depth-first search finds going back. */
function findBackEdges(n: number, { start, to }: Adjacency): Uint8Array {
  const back = new Uint8Array(to.length);
  const state = new Uint8Array(n); // 0 unseen, 1 on the stack, 2 done
  const indeg = new Int32Array(n);
  for (let e = 0; e < to.length; e++) {
    const v = to[e] as number;
    indeg[v] = (indeg[v] as number) + 1;
  }
  // Start from true sources first so entries define the direction of the graph.
  const starts: number[] = [];
  for (let u = 0; u < n; u++) if (indeg[u] === 0) starts.push(u);
  for (let u = 0; u < n; u++) starts.push(u);
  // Iterative DFS: a Service with thousands of endpoints must not blow the stack.
  const stack = new Int32Array(n);
  const next = new Int32Array(n);
  for (const s of starts) {
    if (state[s] !== 0) continue;
    let top = 0;
    stack[0] = s;
    next[s] = start[s] as number;
    state[s] = 1;
    while (top >= 0) {
      const u = stack[top] as number;
      const e = next[u] as number;
      if (e >= (start[u + 1] as number)) {
        state[u] = 2;
        top--;
        continue;
      }
      next[u] = e + 1;
      const v = to[e] as number;
      if (state[v] === 1) back[e] = 1;
      else if (state[v] === 0) {
        state[v] = 1;
        next[v] = start[v] as number;
        stack[++top] = v;
      }
    }
  }
  return back;
}
