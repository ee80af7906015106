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

/** A trailing `IP:PORT` or `[IPv6]:PORT` in a node id or label. */
const TRAILING_ADDRESS = /(\[[0-9a-fA-F:.]+\]:\d+|\d{1,3}(?:\.\d{1,3}){3}:\d+)$/;

interface EndpointIndex {
  byAddress: Map<string, ServiceGraph['endpoints'][number]>;
  byChain: Map<string, ServiceGraph['endpoints'][number]>;
  pods: Map<string, EndpointDto>;
  podsByHost: Map<string, EndpointDto>;
}

// Indexed once per graph and endpoint list: a Service with 1,000 endpoints draws 2,000 boxes.
const indexes = new WeakMap<ServiceGraph, WeakMap<readonly EndpointDto[], EndpointIndex>>();

function indexFor(graph: ServiceGraph, endpoints: readonly EndpointDto[]): EndpointIndex {
  let byList = indexes.get(graph);
  if (!byList) {
    byList = new WeakMap();
    indexes.set(graph, byList);
  }
  let index = byList.get(endpoints);
  if (!index) {
    index = { byAddress: new Map(), byChain: new Map(), pods: new Map(), podsByHost: new Map() };
    for (const e of graph.endpoints) {
      if (!index.byAddress.has(e.address)) index.byAddress.set(e.address, e);
      if (e.chain !== null && !index.byChain.has(e.chain)) index.byChain.set(e.chain, e);
    }
    for (const ep of endpoints) {
      const key = endpointKey(ep);
      if (!index.pods.has(key)) index.pods.set(key, ep);
      if (!index.podsByHost.has(ep.address)) index.podsByHost.set(ep.address, ep);
    }
    byList.set(endpoints, index);
  }
  return index;
}

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
  const index = indexFor(graph, endpoints);
  const candidates = [node.id, node.label];
  const trailing = candidates.flatMap((c) => TRAILING_ADDRESS.exec(c)?.[1] ?? []);
  const ge =
    candidates.map((c) => index.byAddress.get(c) ?? index.byChain.get(c)).find((x) => x !== undefined) ??
    trailing.map((a) => index.byAddress.get(a)).find((x) => x !== undefined);
  const address = ge?.address ?? trailing[0] ?? null;
  const host =
    address === null
      ? null
      : address.startsWith('[')
        ? address.slice(1, address.indexOf(']'))
        : address.slice(0, address.lastIndexOf(':'));
  const endpoint =
    address === null
      ? null
      : (index.pods.get(address) ?? (host !== null ? index.podsByHost.get(host) : undefined) ?? null);
  return { share: ge?.probability ?? null, endpoint, address };
}

/** The effective share of an endpoint chain node (KUBE-SEP-…), when the graph names it. */
export function shareOfChain(node: GraphNode, graph: ServiceGraph): number | null {
  const index = indexFor(graph, NO_ENDPOINTS);
  const ge = index.byChain.get(node.id) ?? index.byChain.get(node.label);
  return ge ? ge.probability : null;
}

const NO_ENDPOINTS: readonly EndpointDto[] = [];
