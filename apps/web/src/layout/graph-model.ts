import type { EndpointDto, GraphEdge, GraphNode, ServiceGraph } from '@svcpath/core';

/**
 * Turns one Service port's graph into what the drawing needs: entry points as nodes even when
 * the graph lists them only in `entries`, and endpoint nodes joined to their pods.
 */

export interface DrawableGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const entryNodeId = (i: number): string => `entry:${i}`;

export function withEntryNodes(graph: ServiceGraph): DrawableGraph {
  const hasEntries = graph.nodes.some((n) => n.kind === 'entry');
  if (hasEntries || graph.entries.length === 0) return { nodes: graph.nodes, edges: graph.edges };
  const ids = new Set(graph.nodes.map((n) => n.id));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  graph.entries.forEach((e, i) => {
    const id = entryNodeId(i);
    nodes.push({ id, kind: 'entry', label: `${entryKindLabel(e.kind)} ${formatHostPort(e.ip, e.port)}` });
    if (ids.has(e.target)) edges.push({ from: id, to: e.target, probability: 1, rule: e.rule });
  });
  return { nodes: [...nodes, ...graph.nodes], edges: [...edges, ...graph.edges] };
}

export const entryKindLabel = (kind: string): string =>
  ({
    clusterIP: 'cluster IP',
    nodePort: 'node port',
    loadBalancer: 'load balancer',
    externalIP: 'external IP',
  })[kind] ?? kind;

export const formatHostPort = (ip: string | null, port: number | null): string => {
  const host = ip === null ? '*' : ip.includes(':') ? `[${ip}]` : ip;
  return port === null ? host : `${host}:${port}`;
};

/** `IP:PORT` keys the server may use for an endpoint, in both IPv4 and bracketed IPv6 forms. */
export const endpointKey = (ep: Pick<EndpointDto, 'address' | 'port'>): string =>
  formatHostPort(ep.address, ep.port);

/** Finds the pod behind an endpoint node, by its address in the node's id or label. */
export function endpointFor(
  node: GraphNode,
  graph: ServiceGraph,
  endpoints: readonly EndpointDto[],
): {
  share: number | null;
  endpoint: EndpointDto | null;
  address: string | null;
} {
  const candidates = [node.id, node.label];
  const ge = graph.endpoints.find(
    (e) =>
      candidates.includes(e.address) ||
      (e.chain !== null && candidates.includes(e.chain)) ||
      candidates.some((c) => c.endsWith(e.address)),
  );
  const address = ge?.address ?? candidates.find((c) => /\d+:\d+$|\]:\d+$/.test(c)) ?? null;
  const endpoint =
    address === null
      ? null
      : (endpoints.find((ep) => endpointKey(ep) === address) ??
        endpoints.find((ep) => address.startsWith(ep.address)) ??
        null);
  return { share: ge?.probability ?? null, endpoint, address };
}

/** The effective share of an endpoint chain node (KUBE-SEP-…), when the graph names it. */
export function shareOfChain(node: GraphNode, graph: ServiceGraph): number | null {
  const ge = graph.endpoints.find((e) => e.chain === node.id || e.chain === node.label);
  return ge ? ge.probability : null;
}
