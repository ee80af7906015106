// Each node's kube-proxy settings: what the source knows (kube-proxy's config, the demo, a
// snapshot) completed with kube-proxy's defaults and the Node object's addresses.
import type { Node, ProxyMode, ProxySettings } from '@svcpath/core';

export interface NodeSettings {
  settings: ProxySettings;
  /** Where the mode came from: `kube-proxy config`, `dump`, `default`. */
  modeSource: string;
}

export function nodeAddresses(node: Node): string[] {
  const addrs = node.status?.addresses ?? [];
  const internal = addrs.filter((a) => a.type === 'InternalIP').map((a) => a.address);
  const external = addrs.filter((a) => a.type === 'ExternalIP').map((a) => a.address);
  return [...internal, ...external];
}

export function nodeZone(node: Node): string | undefined {
  return node.metadata.labels?.['topology.kubernetes.io/zone'];
}

export function nodeReady(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready === undefined ? true : ready.status === 'True';
}

export function settingsForNode(
  node: Node,
  known: Partial<ProxySettings> | undefined,
  modeFromDumps: ProxyMode | null,
): NodeSettings {
  const podCIDRs = node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []);
  const zone = nodeZone(node);
  const defaults: ProxySettings = {
    mode: 'iptables',
    nodeName: node.metadata.name,
    nodeIPs: nodeAddresses(node),
    clusterCIDRs: [],
    detectLocalMode: 'ClusterCIDR',
    nodePodCIDRs: podCIDRs,
    masqueradeAll: false,
    masqueradeBit: 14,
    localhostNodePorts: true,
    nodePortAddresses: [],
    ipvsScheduler: 'rr',
    serviceCIDRs: [],
    featureGates: {},
  };
  if (zone !== undefined) defaults.zone = zone;
  const settings: ProxySettings = {
    ...defaults,
    ...stripUndefined(known ?? {}),
    nodeName: node.metadata.name,
  };
  if (settings.nodeIPs.length === 0) settings.nodeIPs = defaults.nodeIPs;
  let modeSource = 'default';
  if (known?.mode !== undefined) modeSource = 'kube-proxy config';
  else if (modeFromDumps !== null) {
    settings.mode = modeFromDumps;
    modeSource = 'dump';
  }
  return { settings, modeSource };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
