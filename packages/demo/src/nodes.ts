// The demo's three nodes, one per kube-proxy mode. Pod CIDR 10.32.0.0/12 (as on a weave
// cluster) split per node, Service CIDR 10.96.0.0/12.
import type { Node, ProxyMode } from '@svcpath/core';

export const SERVICE_CIDR = '10.96.0.0/12';
export const CLUSTER_CIDR = '10.32.0.0/12';

export interface DemoNodeSpec {
  name: string;
  mode: ProxyMode;
  ip: string;
  podCIDR: string;
  zone: string;
}

export const DEMO_NODES: readonly DemoNodeSpec[] = [
  { name: 'node-a', mode: 'iptables', ip: '192.168.49.2', podCIDR: '10.32.0.0/14', zone: 'zone-a' },
  { name: 'node-b', mode: 'nftables', ip: '192.168.49.3', podCIDR: '10.36.0.0/14', zone: 'zone-b' },
  { name: 'node-c', mode: 'ipvs', ip: '192.168.49.4', podCIDR: '10.40.0.0/14', zone: 'zone-c' },
];

export function demoNode(spec: DemoNodeSpec, created: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      uid: `demo-node-${spec.name}`,
      creationTimestamp: created,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': spec.zone,
        ...(spec.name === 'node-a' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: { podCIDR: spec.podCIDR, podCIDRs: [spec.podCIDR] },
    status: {
      addresses: [
        { type: 'InternalIP', address: spec.ip },
        { type: 'Hostname', address: spec.name },
      ],
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { kubeProxyVersion: 'v1.33.0', kubeletVersion: 'v1.33.0' },
    },
  };
}

/** Each node's kube-proxy configuration, as its ConfigMap would hold it. */
export function kubeProxyConfig(spec: DemoNodeSpec): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: spec.mode,
    clusterCIDR: CLUSTER_CIDR,
    detectLocalMode: 'ClusterCIDR',
    iptables: { masqueradeAll: false, masqueradeBit: 14, localhostNodePorts: true },
    ipvs: { scheduler: 'rr', strictARP: false },
    nodePortAddresses: null,
  };
}
