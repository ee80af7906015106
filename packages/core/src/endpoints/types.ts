import type { Protocol, Service } from '../model/types.js';

/** One endpoint of a service port as kube-proxy sees it (after merging all EndpointSlices). */
export interface ProxyEndpoint {
  /** Canonical IP (first address of the slice endpoint). */
  ip: string;
  port: number;
  /** `ip:port` or `[ip6]:port`: the key, the sort order and part of the SEP chain hash. */
  endpoint: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** nodeName equals the proxy's node name. */
  isLocal: boolean;
  nodeName?: string;
  zone?: string;
  /** Zone / node names from `hints`, null when the endpoint has none. */
  zoneHints: string[] | null;
  nodeHints: string[] | null;
  /** Which slice (namespace/name) the endpoint came from. */
  sliceName: string;
}

/** Everything kube-proxy derives for one Service port on one IP family (KUBE-PROXY.md §1.2). */
export interface ProxyServicePort {
  namespace: string;
  serviceName: string;
  /** Port name, '' when unnamed. */
  portName: string;
  protocol: Protocol;
  /** `ns/name:portName`, or `ns/name` when the port has no name. */
  servicePortName: string;
  family: 4 | 6;
  /** Canonical cluster IP of this family. */
  clusterIP: string;
  port: number;
  /** 0 = none. */
  nodePort: number;
  externalIPs: string[];
  loadBalancerVIPs: string[];
  /** Canonical CIDRs of this family. */
  loadBalancerSourceRanges: string[];
  /** ClientIP affinity timeout in seconds, 0 = no affinity. */
  stickyMaxAgeSeconds: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  externallyAccessible: boolean;
  /** 0 = none. */
  healthCheckNodePort: number;
  usesClusterEndpoints: boolean;
  usesLocalEndpoints: boolean;
  /** Merged, deduplicated, sorted byte-wise by `endpoint`. */
  endpoints: ProxyEndpoint[];
  /** The Service object the port belongs to. */
  service: Service;
}

export type TopologyMode = 'None' | 'PreferSameZone' | 'PreferSameNode';

/** The result of kube-proxy's CategorizeEndpoints plus the flags derived from it (§2.1–2.3). */
export interface CategorizedEndpoints {
  clusterEndpoints: ProxyEndpoint[];
  localEndpoints: ProxyEndpoint[];
  /** Union of cluster and local endpoints: the endpoints that get a SEP chain. */
  allReachable: ProxyEndpoint[];
  topologyMode: TopologyMode;
  hasEndpoints: boolean;
  hasInternalEndpoints: boolean;
  hasExternalEndpoints: boolean;
  /** `clusterEndpoints.length > 0 && usesClusterEndpoints`. */
  clusterChainUsed: boolean;
  /** `localEndpoints.length > 0 && usesLocalEndpoints`. */
  localChainUsed: boolean;
}
