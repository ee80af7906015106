import type { GraphEntry, GraphResult } from '../graph/types.js';
import type { L4Protocol } from '../trace/types.js';

/** One rule of a dataplane chain, reduced to what the diff compares. */
export interface DriftRuleInput {
  /** Equal for the same rule however it was spelled (iptables: `canonicalRuleKey`). */
  key: string;
  /** The rule as in its dump or generated text. */
  text: string;
  line?: number;
  /** The Service port the rule names (from its comment), when it names one. */
  service?: string;
}

/** A chain kube-proxy owns, with its rules in order. */
export interface DriftChainInput {
  table: string;
  chain: string;
  /**
   * Whether the chain belongs to one Service port (iptables KUBE-SVC/SVL/EXT/FW/SEP, nft service-/endpoint-
   * chains): its rule order is deterministic and compared, and its rules' comments may name its Service.
   */
  perService: boolean;
  /**
   * A chain the kernel always has (iptables PREROUTING, INPUT, …): only kube-proxy's jumps in it are
   * listed, and when one side has none the chain is `changed`, never `missing` or `stale`.
   */
  builtin?: boolean;
  rules: DriftRuleInput[];
}

/** One side of a comparison; built by `iptablesDriftInput` (nftables and IPVS adapters build the same). */
export interface DriftInput {
  graph: GraphResult;
  chains: DriftChainInput[];
}

export interface DriftRule {
  table: string;
  chain: string;
  text: string;
  line?: number;
  /** The Service port the rule belongs to, when known. */
  service?: string;
}

export interface ChainDrift {
  table: string;
  chain: string;
  /** The Service port this chain belongs to, or null for shared chains (KUBE-SERVICES, …). */
  service: string | null;
  /**
   * `missing`: expected, absent from the node; `stale`: on the node, not expected (left behind);
   * `changed`: on both sides with different rules or order.
   */
  status: 'missing' | 'stale' | 'changed';
  /** Expected rules the node does not have. */
  missingRules: DriftRule[];
  /** Rules on the node that were not expected. */
  extraRules: DriftRule[];
  /** Same rules, different order (only for chains where order is deterministic). */
  reordered: boolean;
}

export interface ProbabilityDrift {
  address: string;
  expected: number;
  actual: number;
}

export interface ServiceDrift {
  /** `namespace/name:port`. */
  service: string;
  protocol: L4Protocol;
  /** `missing`: expected only; `extra`: on the node only; `changed`: on both with differences. */
  status: 'missing' | 'extra' | 'changed';
  missingEntries: GraphEntry[];
  extraEntries: GraphEntry[];
  /** Endpoint addresses expected but not reachable on the node. */
  missingEndpoints: string[];
  /** Endpoint addresses reachable on the node but not expected. */
  extraEndpoints: string[];
  /** Endpoints on both sides whose effective probability differs by more than 1e-6. */
  probabilityChanges: ProbabilityDrift[];
  /** Chains of this Service that differ (including stale endpoint chains). */
  chains: ChainDrift[];
}

/** Expected versus actual dataplane of one node. */
export interface DriftReport {
  /** true when nothing below differs. */
  inSync: boolean;
  /** Service ports that differ; Service ports that match are not listed. */
  services: ServiceDrift[];
  /** Every chain that differs, whether or not a Service explains it. */
  chains: ChainDrift[];
  /** Rules on the node, in kube-proxy's chains, that were not expected and that no Service explains. */
  unexplainedRules: DriftRule[];
  summary: {
    servicesCompared: number;
    servicesDrifted: number;
    missingChains: number;
    staleChains: number;
    changedChains: number;
    missingRules: number;
    extraRules: number;
  };
}
