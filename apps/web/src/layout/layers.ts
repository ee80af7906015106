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
 * depends only on input order.
 */
export function assignLayers({ ids, edges, last }: LayerInput): Map<string, number> {
  const succ = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) succ.get(e.from)?.push(e.to);
  for (const e of edges) indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);

  const back = findBackEdges(ids, succ, indeg);
  const dagSucc = new Map<string, string[]>();
  const dagIndeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of ids) {
    const out = (succ.get(id) ?? []).filter((to) => !back.has(`${id}\u0000${to}`));
    dagSucc.set(id, out);
    for (const to of out) dagIndeg.set(to, (dagIndeg.get(to) ?? 0) + 1);
  }

  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => dagIndeg.get(id) === 0);
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as string;
    const lu = layer.get(u) ?? 0;
    for (const v of dagSucc.get(u) ?? []) {
      if ((layer.get(v) ?? 0) < lu + 1) layer.set(v, lu + 1);
      const d = (dagIndeg.get(v) ?? 0) - 1;
      dagIndeg.set(v, d);
      if (d === 0) queue.push(v);
    }
  }

  let max = 0;
  for (const l of layer.values()) max = Math.max(max, l);
  for (const id of last) if (layer.has(id) && (dagSucc.get(id) ?? []).length === 0) layer.set(id, max);
  return layer;
}

function findBackEdges(
  ids: readonly string[],
  succ: Map<string, string[]>,
  indeg: Map<string, number>,
): Set<string> {
  const state = new Map<string, 1 | 2>();
  const back = new Set<string>();
  // Start from true sources first so entries define the direction of the graph.
  const starts = [...ids.filter((id) => indeg.get(id) === 0), ...ids];
  for (const start of starts) {
    if (state.has(start)) continue;
    // Iterative DFS: a Service with thousands of endpoints must not blow the stack.
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const out = succ.get(top.id) ?? [];
      if (top.next >= out.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const to = out[top.next++] as string;
      const s = state.get(to);
      if (s === 1) back.add(`${top.id}\u0000${to}`);
      else if (s === undefined) {
        state.set(to, 1);
        stack.push({ id: to, next: 0 });
      }
    }
  }
  return back;
}
