import type { L4Protocol } from '../trace/types.js';

export type EntryKind = 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP';

export interface GraphEntry {
  kind: EntryKind;
  /** null for a node port that listens on every local address. */
  ip: string | null;
  port: number;
  /** The chain or map entry the entry point jumps to (`KUBE-SVC-…`, `KUBE-EXT-…`, `KUBE-FW-…`, …). */
  target: string;
  /** The rule that makes this entry point, as in the dump. */
  rule: GraphRuleRef | null;
}

export interface GraphRuleRef {
  table: string;
  chain: string;
  rule: number;
  text: string;
  /** Packet counter of the rule when the dump has counters. */
  packets?: number;
}

/** A node of the path graph: a chain, nft chain/map, IPVS virtual server or an endpoint. */
export interface GraphNode {
  id: string;
  kind:
    | 'entry'
    | 'dispatch'
    | 'service'
    | 'local'
    | 'external'
    | 'firewall'
    | 'endpoint-chain'
    | 'endpoint'
    | 'drop'
    | 'reject'
    | 'virtual-server';
  label: string;
  /** Masquerade happens on this node for some packets. */
  masquerade?: boolean;
  /** Session affinity is enforced here (timeout in seconds). */
  affinitySeconds?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** Conditional probability of taking this edge once at `from` (e.g. 0.33333, 0.5, 1). */
  probability: number;
  /** Condition in words, e.g. `-s 10.0.0.0/8` or `source range 203.0.113.0/25`. */
  condition?: string;
  rule: GraphRuleRef | null;
}

export interface GraphEndpoint {
  /** `IP:PORT` (`[IPv6]:PORT`). */
  address: string;
  /** The per-endpoint chain (`KUBE-SEP-…`, `endpoint-…`), or null where there is none. */
  chain: string | null;
  /** Effective probability of reaching this endpoint from the service's cluster-IP entry. */
  probability: number;
}

export interface ServiceGraph {
  /** `namespace/name:port` as in kube-proxy's comments (`namespace/name` for an unnamed port). */
  service: string;
  protocol: L4Protocol;
  /** The service's cluster-policy chain (`KUBE-SVC-…`, `service-…`), or null. */
  chain: string | null;
  entries: GraphEntry[];
  endpoints: GraphEndpoint[];
  /** The full path graph for drawing. */
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** What could not be resolved while building (dangling jumps, …). */
  warnings: string[];
}

/** `graph --json` output. */
export interface GraphResult {
  services: ServiceGraph[];
}
