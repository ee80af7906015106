import type { GraphNode, TraceOutcome } from '@svcpath/core';
import type { DrawableGraph } from './graph-model.js';
import { edgeKey } from './drift.js';

export interface Highlight {
  nodes: Set<string>;
  edges: Set<string>;
}

/** Chain names a step mentions: the chain it sits in and the one it jumps or goes to. */
function chainsOf(step: TraceOutcome['path'][number]): string[] {
  const out = [step.chain];
  const m = /^(?:jump|goto)\s+(\S+)/i.exec(step.action);
  if (m?.[1]) out.push(m[1]);
  return out;
}

const matches = (n: GraphNode, names: Set<string>): boolean => names.has(n.id) || names.has(n.label);

/** `IP:PORT` inside an IPVS virtual server's label or ipvsadm line (`-A -t 10.96.0.10:80 -s rr`). */
const VIP = /(\[[0-9a-f:]+\]|\d{1,3}(?:\.\d{1,3}){3}):(\d+)/i;
const vipOf = (s: string): string | null => {
  const m = VIP.exec(s);
  return m ? `${m[1]}:${m[2]}` : null;
};

/**
 * Which nodes and edges of a Service graph one trace outcome walked: chains by name, the
 * endpoint by the outcome's DNAT address, and the entry point by the packet's destination.
 */
export function highlightOutcome(
  graph: DrawableGraph,
  outcome: TraceOutcome,
  dst: { ip: string; port: number },
): Highlight {
  const names = new Set(outcome.path.flatMap(chainsOf));
  const vips = new Set(
    outcome.path.filter((st) => st.table === 'ipvs').map((st) => vipOf(st.chain) ?? vipOf(st.text)),
  );
  const nodes = new Set<string>();
  for (const n of graph.nodes) {
    if (matches(n, names)) nodes.add(n.id);
    else if (n.kind === 'virtual-server' && vips.has(vipOf(n.label))) nodes.add(n.id);
    else if (
      n.kind === 'endpoint' &&
      outcome.dnat !== null &&
      (n.id === outcome.dnat || n.label === outcome.dnat || n.label.includes(outcome.dnat))
    )
      nodes.add(n.id);
    else if (
      n.kind === 'entry' &&
      (n.label.includes(`${dst.ip}:${dst.port}`) || n.id.includes(`${dst.ip}:${dst.port}`))
    )
      nodes.add(n.id);
    else if ((n.kind === 'drop' || n.kind === 'reject') && n.kind.toUpperCase() === outcome.verdict) {
      if (graph.edges.some((e) => e.to === n.id && nodes.has(e.from))) nodes.add(n.id);
    }
  }
  const edges = new Set(graph.edges.filter((e) => nodes.has(e.from) && nodes.has(e.to)).map(edgeKey));
  return { nodes, edges };
}
