// The proxy's view of Services and EndpointSlices: per service port, what kube-proxy derives
// (KUBE-PROXY.md §1.1–1.3).
import { formatIp, isCanonicalIPv4, joinHostPort } from '../common/ip.js';
import {
  canonicalCIDRsSloppy,
  canonicalIPsSloppy,
  ipFamilySloppy,
  parseIPSloppy,
} from '../common/ip-sloppy.js';
import type { ClusterState, EndpointSlice, Protocol, ProxySettings, Service } from '../model/types.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';

export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DEFAULT_AFFINITY_TIMEOUT = 10800;

/** kube-proxy's informers ignore objects with these labels (whatever the value). */
export const ignoredByProxyLabels = (labels: Record<string, string> | undefined): boolean =>
  labels !== undefined && (SERVICE_PROXY_NAME_LABEL in labels || HEADLESS_LABEL in labels);

/** The Service is never handled by kube-proxy: headless, no cluster IP, ExternalName, or labelled away. */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec.clusterIP ?? '';
  return (
    ip === '' ||
    ip === 'None' ||
    svc.spec.type === 'ExternalName' ||
    ignoredByProxyLabels(svc.metadata.labels)
  );
}

/** The cluster IP of `family`, as written in the Service (GetClusterIPByFamily), or ''. */
export function clusterIPForFamily(svc: Service, family: 4 | 6): string {
  const ips = svc.spec.clusterIPs ?? [];
  if (ips.length === 0) {
    const ip = svc.spec.clusterIP ?? '';
    return ipFamilySloppy(ip) === family ? ip : '';
  }
  for (const ip of ips) if ((ipFamilySloppy(ip) === 6) === (family === 6)) return ip;
  return '';
}

/** Types that accept external traffic (apiservice.ExternallyAccessible). */
const acceptsExternalTraffic = (svc: Service): boolean =>
  svc.spec.type === 'LoadBalancer' ||
  svc.spec.type === 'NodePort' ||
  (svc.spec.type === 'ClusterIP' && (svc.spec.externalIPs?.length ?? 0) > 0);

export const externalPolicyLocal = (svc: Service): boolean =>
  acceptsExternalTraffic(svc) && svc.spec.externalTrafficPolicy === 'Local';

export const servicePortName = (namespace: string, name: string, portName: string): string =>
  portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;

/** `ns/name|portName|protocol` → merged endpoint list, from every slice of the family. */
export function endpointsByServicePort(
  slices: readonly EndpointSlice[],
  family: 4 | 6,
  nodeName: string,
): Map<string, ProxyEndpoint[]> {
  const merged = new Map<string, Map<string, ProxyEndpoint>>();
  const addressType = family === 4 ? 'IPv4' : 'IPv6';
  for (const slice of slices) {
    if (slice.addressType !== addressType) continue;
    const labels = slice.metadata.labels;
    const svcName = labels?.[SERVICE_NAME_LABEL];
    if (!svcName || ignoredByProxyLabels(labels)) continue;
    const ns = slice.metadata.namespace ?? 'default';
    const sliceName = `${ns}/${slice.metadata.name}`;
    for (const port of slice.ports ?? []) {
      if (port.name === null || port.name === undefined) continue;
      if (port.port === null || port.port === undefined || port.port === 0) continue;
      const key = `${ns}/${svcName}|${port.name}|${port.protocol ?? 'TCP'}`;
      let set = merged.get(key);
      if (!set) merged.set(key, (set = new Map()));
      for (const ep of slice.endpoints ?? []) {
        const first: unknown = Array.isArray(ep.addresses) ? ep.addresses[0] : undefined;
        if (typeof first !== 'string') continue;
        let canonical = family === 4 && isCanonicalIPv4(first) ? first : null;
        if (canonical === null) {
          const ip = parseIPSloppy(first);
          if (!ip || ip.family !== family) continue;
          canonical = formatIp(ip);
        }
        const info: ProxyEndpoint = {
          ip: canonical,
          port: port.port,
          endpoint: joinHostPort(canonical, port.port),
          ready: ep.conditions?.ready ?? true,
          serving: ep.conditions?.serving ?? true,
          terminating: ep.conditions?.terminating ?? false,
          isLocal: ep.nodeName !== undefined && ep.nodeName === nodeName,
          zoneHints: ep.hints?.forZones?.length ? ep.hints.forZones.map((z) => z.name) : null,
          nodeHints: ep.hints?.forNodes?.length ? ep.hints.forNodes.map((n) => n.name) : null,
          sliceName,
          ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
          ...(ep.zone !== undefined ? { zone: ep.zone } : {}),
        };
        const existing = set.get(info.endpoint);
        // Overlapping slices: a non-terminating copy wins over a terminating one.
        if (!existing || (existing.terminating && !info.terminating)) set.set(info.endpoint, info);
      }
    }
  }
  const out = new Map<string, ProxyEndpoint[]>();
  for (const [key, set] of merged) {
    out.set(
      key,
      [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)),
    );
  }
  return out;
}

/** Every service port kube-proxy would program for `family`, with its endpoints. */
export function servicePortsFor(
  services: readonly Service[],
  endpointSlices: readonly EndpointSlice[],
  settings: Pick<ProxySettings, 'nodeName'>,
  family: 4 | 6,
): ProxyServicePort[] {
  const endpoints = endpointsByServicePort(endpointSlices, family, settings.nodeName);
  const out: ProxyServicePort[] = [];
  for (const svc of services) {
    if (shouldSkipService(svc)) continue;
    const rawClusterIP = clusterIPForFamily(svc, family);
    const clusterIP = rawClusterIP === '' ? null : parseIPSloppy(rawClusterIP);
    if (!clusterIP) continue;
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name;
    const externalIPs = canonicalIPsSloppy(svc.spec.externalIPs ?? [], family);
    const lbVIPs = canonicalIPsSloppy(
      (svc.status?.loadBalancer?.ingress ?? [])
        .filter((ing) => (ing.ip ?? '') !== '' && (ing.ipMode === undefined || ing.ipMode === 'VIP'))
        .map((ing) => ing.ip ?? ''),
      family,
    );
    const sourceRanges = canonicalCIDRsSloppy(
      (svc.spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()),
      family,
    );
    const sticky =
      svc.spec.sessionAffinity === 'ClientIP'
        ? (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT)
        : 0;
    const eLocal = externalPolicyLocal(svc);
    const iLocal = svc.spec.internalTrafficPolicy === 'Local';
    const hcnp = svc.spec.type === 'LoadBalancer' && eLocal ? (svc.spec.healthCheckNodePort ?? 0) : 0;
    for (const p of svc.spec.ports ?? []) {
      const portName = p.name ?? '';
      const protocol: Protocol = p.protocol ?? 'TCP';
      const nodePort = p.nodePort ?? 0;
      const externallyAccessible = nodePort !== 0 || lbVIPs.length > 0 || externalIPs.length > 0;
      out.push({
        namespace: ns,
        serviceName: name,
        portName,
        protocol,
        servicePortName: servicePortName(ns, name, portName),
        family,
        clusterIP: formatIp(clusterIP),
        port: p.port,
        nodePort,
        externalIPs,
        loadBalancerVIPs: lbVIPs,
        loadBalancerSourceRanges: sourceRanges,
        stickyMaxAgeSeconds: sticky,
        externalPolicyLocal: eLocal,
        internalPolicyLocal: iLocal,
        externallyAccessible,
        healthCheckNodePort: hcnp,
        usesClusterEndpoints: !iLocal || externallyAccessible,
        usesLocalEndpoints: iLocal || (eLocal && externallyAccessible),
        endpoints: endpoints.get(`${ns}/${name}|${portName}|${protocol}`) ?? [],
        service: svc,
      });
    }
  }
  return out;
}

/** `servicePortsFor` over a whole cluster state. */
export const servicePortsForNode = (
  state: Pick<ClusterState, 'services' | 'endpointSlices'>,
  settings: Pick<ProxySettings, 'nodeName'>,
  family: 4 | 6,
): ProxyServicePort[] => servicePortsFor(state.services, state.endpointSlices, settings, family);
