// kube-proxy's CategorizeEndpoints (pkg/proxy/topology.go) and the flags derived from it
// (KUBE-PROXY.md §2.1–2.3).
import type { CategorizedEndpoints, ProxyEndpoint, ProxyServicePort, TopologyMode } from './types.js';

const usableTerminating = (e: ProxyEndpoint): boolean => e.serving && e.terminating;

/** Topology mode from the ready endpoints' hints (§2.2). */
export function topologyMode(
  endpoints: readonly ProxyEndpoint[],
  nodeName: string,
  zone: string | undefined,
  featureGates: Record<string, boolean>,
): TopologyMode {
  const ready = endpoints.filter((e) => e.ready);
  if (ready.length === 0) return 'None';
  if (featureGates['PreferSameTrafficDistribution'] !== false) {
    const allHinted = ready.every((e) => (e.nodeHints?.length ?? 0) > 0);
    if (allHinted && ready.some((e) => e.nodeHints?.includes(nodeName))) return 'PreferSameNode';
  }
  if (zone !== undefined && zone !== '') {
    const allHinted = ready.every((e) => (e.zoneHints?.length ?? 0) > 0);
    if (allHinted && ready.some((e) => e.zoneHints?.includes(zone))) return 'PreferSameZone';
  }
  return 'None';
}

function allowedByTopology(e: ProxyEndpoint, mode: TopologyMode, nodeName: string, zone: string | undefined) {
  if (mode === 'PreferSameNode') return e.nodeHints?.includes(nodeName) ?? false;
  if (mode === 'PreferSameZone') return zone !== undefined && (e.zoneHints?.includes(zone) ?? false);
  return true;
}

/**
 * Splits a service port's endpoints into the cluster and local sets kube-proxy programs.
 * `featureGates.PreferSameTrafficDistribution` (default on) enables node hints.
 */
export function categorizeEndpoints(
  port: Pick<
    ProxyServicePort,
    | 'endpoints'
    | 'usesClusterEndpoints'
    | 'usesLocalEndpoints'
    | 'internalPolicyLocal'
    | 'externalPolicyLocal'
  >,
  nodeName: string,
  zone: string | undefined,
  featureGates: Record<string, boolean> = {},
): CategorizedEndpoints {
  const eps = port.endpoints;
  let cluster: ProxyEndpoint[] = [];
  let local: ProxyEndpoint[] = [];
  let hasAny = false;
  let mode: TopologyMode = 'None';

  if (eps.length > 0) {
    if (port.usesClusterEndpoints) {
      mode = topologyMode(eps, nodeName, zone, featureGates);
      cluster = eps.filter((e) => e.ready && allowedByTopology(e, mode, nodeName, zone));
      if (cluster.length === 0) cluster = eps.filter(usableTerminating);
      if (cluster.length > 0) hasAny = true;
    }
    if (port.usesLocalEndpoints) {
      if (eps.some((e) => e.ready || usableTerminating(e))) hasAny = true;
      local = eps.filter((e) => e.isLocal && e.ready);
      if (local.length === 0) local = eps.filter((e) => e.isLocal && usableTerminating(e));
    }
  }

  let allReachable: ProxyEndpoint[];
  if (!port.usesLocalEndpoints) allReachable = cluster;
  else if (!port.usesClusterEndpoints) allReachable = local;
  else {
    // Union; kept in the sorted order of the merged list so output is deterministic.
    const keys = new Set([...cluster, ...local].map((e) => e.endpoint));
    allReachable = eps.filter((e) => keys.has(e.endpoint));
  }

  const hasInternalEndpoints = port.internalPolicyLocal ? local.length > 0 : hasAny;
  const hasExternalEndpoints = port.externalPolicyLocal ? local.length > 0 : hasAny;
  return {
    clusterEndpoints: cluster,
    localEndpoints: local,
    allReachable,
    topologyMode: mode,
    hasEndpoints: hasAny,
    hasInternalEndpoints: hasAny && hasInternalEndpoints,
    hasExternalEndpoints: hasAny && hasExternalEndpoints,
    clusterChainUsed: cluster.length > 0 && port.usesClusterEndpoints,
    localChainUsed: local.length > 0 && port.usesLocalEndpoints,
  };
}
