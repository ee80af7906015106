/**
 * The subset of Kubernetes objects svcpath reads, in the shape the API serves them
 * (`kubectl get -o json`). Optional fields follow the API: absent means the API default.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid?: string }>;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePort {
  name?: string;
  protocol?: Protocol;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface Service {
  apiVersion?: string;
  kind?: 'Service';
  metadata: ObjectMeta;
  spec: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | '';
    selector?: Record<string, string>;
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: Array<'IPv4' | 'IPv6'>;
    ipFamilyPolicy?: string;
    ports?: ServicePort[];
    externalIPs?: string[];
    externalName?: string;
    sessionAffinity?: 'None' | 'ClientIP';
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    externalTrafficPolicy?: 'Cluster' | 'Local';
    internalTrafficPolicy?: 'Cluster' | 'Local';
    healthCheckNodePort?: number;
    loadBalancerIP?: string;
    loadBalancerSourceRanges?: string[];
    publishNotReadyAddresses?: boolean;
    trafficDistribution?: string;
  };
  status?: {
    loadBalancer?: {
      ingress?: Array<{ ip?: string; hostname?: string; ipMode?: 'VIP' | 'Proxy' }>;
    };
  };
}

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  hints?: { forZones?: Array<{ name: string }>; forNodes?: Array<{ name: string }> };
}

export interface EndpointPort {
  name?: string | null;
  port?: number | null;
  protocol?: Protocol;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion?: string;
  kind?: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: Endpoint[] | null;
  ports?: EndpointPort[] | null;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
}

export interface Pod {
  apiVersion?: string;
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec?: {
    nodeName?: string;
    hostNetwork?: boolean;
    hostname?: string;
    subdomain?: string;
    containers?: Array<{ name: string; ports?: ContainerPort[] }>;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: Array<{ ip: string }>;
    hostIP?: string;
    conditions?: Array<{ type: string; status: string }>;
  };
}

export interface Node {
  apiVersion?: string;
  kind?: 'Node';
  metadata: ObjectMeta;
  spec?: { podCIDR?: string; podCIDRs?: string[]; unschedulable?: boolean };
  status?: {
    addresses?: Array<{ type: string; address: string }>;
    conditions?: Array<{ type: string; status: string }>;
    nodeInfo?: { kubeProxyVersion?: string; kubeletVersion?: string };
  };
}

/** All the objects of one cluster that svcpath reads. */
export interface ClusterState {
  services: Service[];
  endpointSlices: EndpointSlice[];
  pods: Pod[];
  nodes: Node[];
}

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

/**
 * One node's kube-proxy settings, from a `KubeProxyConfiguration` (kube-proxy's ConfigMap)
 * with command-line style overrides applied. See `model/proxyConfig.ts`.
 */
export interface ProxySettings {
  mode: ProxyMode;
  nodeName: string;
  /** The node's addresses (primary first); what `addrtype LOCAL` and NodePorts use. */
  nodeIPs: string[];
  /** Cluster CIDR(s) for the local-traffic detector; empty = no detector. */
  clusterCIDRs: string[];
  detectLocalMode: 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix' | 'None';
  /** Bridge name or interface prefix for the interface-based detectors. */
  detectLocalInterface?: string;
  /** The node's pod CIDRs, for NodeCIDR detection. */
  nodePodCIDRs: string[];
  masqueradeAll: boolean;
  /** Bit of the masquerade mark (default 14 → 0x4000). */
  masqueradeBit: number;
  /** iptables: accept NodePorts on 127.0.0.1 (default true). */
  localhostNodePorts: boolean;
  /** CIDRs or `primary`; empty = all local addresses. */
  nodePortAddresses: string[];
  ipvsScheduler: string;
  /** nftables: the Service CIDRs, for the unallocated-IP drop rule. */
  serviceCIDRs: string[];
  /** Node topology labels (zone) for topology-aware routing. */
  zone?: string;
  /** Feature gates that change rules. */
  featureGates: Record<string, boolean>;
  /** `conntrack.tcpBeLiberal`: when true, no conntrack INVALID drop rule (default false). */
  conntrackTCPLiberal?: boolean;
}
