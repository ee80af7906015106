import type { EndpointSlice, Service } from '../model/types.js';

/** One packet-flow expectation (kube-proxy's `runPacketFlowTests`). */
export interface ConformanceFlow {
  name: string;
  sourceIP: string;
  destIP: string;
  destPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Endpoints joined with ', ', or DROP / REJECT / ACCEPT / ''. */
  output: string;
  masq: boolean;
}

export interface ConformanceChainAssertion {
  table: string;
  chain: string;
  /** The chain's rules, newline-separated (`''` = empty chain). */
  rules: string | string[];
}

/** The fake proxier's settings as the case records them (plus test overrides). */
export interface ConformanceProxierConfig {
  ipFamily?: 'IPv4' | 'IPv6';
  masqueradeMark?: string;
  masqueradeBit?: number;
  masqueradeAll?: boolean;
  nodePortAddresses?: string[] | null;
  localhostNodePorts?: boolean;
  conntrackTCPLiberal?: boolean;
  hasRandomFully?: boolean;
  nfacctCounters?: Record<string, boolean>;
  /** Spelling used by test overrides; wins over `nfacctCounters`. */
  nfAcctCounters?: Record<string, boolean>;
  primaryNodeIP?: string;
  serviceCIDRs?: string[];
  localhostNodePortsEnabled?: boolean;
  localhostNodePortProxy?: boolean;
  [key: string]: unknown;
}

export interface ConformanceLocalDetector {
  mode: 'ClusterCIDR' | 'NoOp' | string;
  clusterCIDR?: string | null;
}

export interface ConformancePhase {
  description: string;
  services: Service[] | 'unchanged';
  endpointSlices: EndpointSlice[] | 'unchanged';
  flows?: ConformanceFlow[];
  checkConsistency?: boolean;
  /** Partial restore input (iptables TestSyncProxyRulesRepeated). */
  expectedIptablesRestoreInput?: string;
  expectedNft?: string | null;
  expectedNftSorted?: string;
  [key: string]: unknown;
}

export interface ConformanceVariant {
  subtest: string;
  proxierOverrides?: ConformanceProxierConfig;
  proxierConfig?: ConformanceProxierConfig;
  localDetector?: ConformanceLocalDetector;
  services?: Service[];
  endpointSlices?: EndpointSlice[];
  expectedChains?: ConformanceChainAssertion[];
  assertion?: { table: string; chain: string; ruleWithDestinationAddress: string; expectedPresent: boolean };
  dumpContains?: string[];
  dumpNotContains?: string[];
  [key: string]: unknown;
}

/** One case file of the shared conformance folder (see its README). */
export interface ConformanceCase {
  /** File name without `.json`, e.g. `ipt_TestOverallIPTablesRules`. */
  id: string;
  source: string;
  mode: 'iptables' | 'nftables';
  kubeProxyVersionHint?: string;
  nodeName: string;
  nodeIPs: string[];
  ipFamily: 'IPv4' | 'IPv6';
  clusterCIDR: string | null;
  localDetector: ConformanceLocalDetector;
  proxierConfig: ConformanceProxierConfig;
  proxierOverridesFromTest?: Record<string, unknown>;
  services: Service[];
  endpointSlices: EndpointSlice[];
  expectedIptablesSave?: string | null;
  inputIptablesSave?: string;
  expectedChains?: ConformanceChainAssertion[];
  expectedNft?: string | null;
  expectedNftSorted?: string;
  flows?: ConformanceFlow[];
  phases?: ConformancePhase[];
  variants?: ConformanceVariant[];
  notes?: string;
}
