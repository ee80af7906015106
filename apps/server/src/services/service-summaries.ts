// Service summaries for the list and detail routes, computed once per cluster change so that
// listing and filtering 10,000+ Services is a scan of plain records.
import type {
  ClusterState,
  EndpointDto,
  EndpointSlice,
  Service,
  ServicePortDto,
  ServiceSummaryDto,
} from '@svcpath/core';
import { byNamespaceThenName, compareText, namespaceRanges } from './sorted-listing.js';
import { TextSearch } from './text-search.js';

export const serviceKey = (namespace: string, name: string): string => `${namespace}/${name}`;

export interface ServiceIndex {
  /** Sorted by namespace, then name. */
  summaries: ServiceSummaryDto[];
  /** Search over each summary's text (names, IPs, ports), in the same (sorted) order. */
  search: TextSearch;
  /** Where each namespace's Services are in `summaries`: [first, end). */
  namespaceRanges: Map<string, readonly [number, number]>;
  byKey: Map<
    string,
    { service: Service; summary: ServiceSummaryDto; slices: EndpointSlice[]; haystack: string }
  >;
  namespaces: string[];
}

export function buildServiceIndex(cluster: ClusterState): ServiceIndex {
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const slice of cluster.endpointSlices) {
    const owner = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (!owner) continue;
    const key = serviceKey(slice.metadata.namespace ?? 'default', owner);
    const list = slicesByService.get(key);
    if (list) list.push(slice);
    else slicesByService.set(key, [slice]);
  }
  const byKey: ServiceIndex['byKey'] = new Map();
  const namespaces = new Set<string>();
  for (const service of cluster.services) {
    const namespace = service.metadata.namespace ?? 'default';
    const key = serviceKey(namespace, service.metadata.name);
    const slices = slicesByService.get(key) ?? [];
    const summary = summarize(service, slices);
    namespaces.add(namespace);
    const haystack = [
      key,
      summary.clusterIP ?? '',
      ...summary.clusterIPs,
      ...summary.externalIPs,
      ...summary.loadBalancerIPs,
      summary.externalName ?? '',
      ...summary.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`),
    ]
      .join(' ')
      .toLowerCase();
    byKey.set(key, { service, summary, slices, haystack });
  }
  const sorted = [...byKey.values()].sort((a, b) => byNamespaceThenName(a.summary, b.summary));
  const summaries = sorted.map((e) => e.summary);
  return {
    summaries,
    search: new TextSearch(sorted.map((e) => e.haystack)),
    namespaceRanges: namespaceRanges(summaries),
    byKey,
    namespaces: [...namespaces].sort(compareText),
  };
}

export function summarize(service: Service, slices: EndpointSlice[]): ServiceSummaryDto {
  const spec = service.spec;
  const type = spec.type === undefined || spec.type === '' ? 'ClusterIP' : spec.type;
  const headless = spec.clusterIP === 'None';
  const clusterIPs =
    type === 'ExternalName' || headless ? [] : (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []));
  const ports: ServicePortDto[] = (spec.ports ?? []).map((p) => {
    const dto: ServicePortDto = {
      name: p.name ?? '',
      protocol: p.protocol ?? 'TCP',
      port: p.port,
      targetPort: p.targetPort ?? (type === 'ExternalName' ? null : p.port),
      nodePort: p.nodePort ?? null,
    };
    if (p.appProtocol !== undefined) dto.appProtocol = p.appProtocol;
    return dto;
  });
  const endpoints = countEndpoints(slices);
  const { health, reasons } = healthOf(service, type, endpoints);
  const summary: ServiceSummaryDto = {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
    type,
    headless,
    clusterIP: clusterIPs[0] ?? (headless ? 'None' : null),
    clusterIPs,
    externalIPs: spec.externalIPs ?? [],
    loadBalancerIPs: (service.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
    ports,
    endpoints,
    sessionAffinity: spec.sessionAffinity ?? 'None',
    externalTrafficPolicy:
      type === 'NodePort' || type === 'LoadBalancer' ? (spec.externalTrafficPolicy ?? 'Cluster') : null,
    internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
    health,
    healthReasons: reasons,
  };
  if (type === 'ExternalName' && spec.externalName !== undefined) summary.externalName = spec.externalName;
  return summary;
}

/** Distinct endpoint addresses over all slices; ready as the endpoints controller marks them. */
function countEndpoints(slices: EndpointSlice[]): { ready: number; total: number } {
  const all = new Set<string>();
  const ready = new Set<string>();
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      for (const addr of ep.addresses) {
        all.add(addr);
        // An absent `ready` condition means ready (API semantics).
        if (ep.conditions?.ready !== false) ready.add(addr);
      }
    }
  }
  return { ready: ready.size, total: all.size };
}

function healthOf(
  service: Service,
  type: ServiceSummaryDto['type'],
  endpoints: { ready: number; total: number },
): { health: ServiceSummaryDto['health']; reasons: string[] } {
  if (type === 'ExternalName') return { health: 'ok', reasons: [] };
  if ((service.spec.ports ?? []).length === 0 && service.spec.clusterIP !== 'None')
    return { health: 'warning', reasons: ['the Service has no ports'] };
  if (endpoints.ready === 0) {
    const why =
      service.spec.selector === undefined
        ? 'no ready endpoints (the Service has no selector: its EndpointSlices are written by hand)'
        : endpoints.total === 0
          ? 'no endpoints: no running pod matches the selector'
          : `no ready endpoints (${endpoints.total} not ready)`;
    return { health: 'error', reasons: [why] };
  }
  if (endpoints.ready < endpoints.total)
    return {
      health: 'warning',
      reasons: [`${endpoints.total - endpoints.ready} of ${endpoints.total} endpoints not ready`],
    };
  return { health: 'ok', reasons: [] };
}

/** One row per endpoint address and slice port. */
export function endpointRows(slices: EndpointSlice[]): EndpointDto[] {
  const rows: EndpointDto[] = [];
  for (const slice of slices) {
    const ports =
      slice.ports && slice.ports.length > 0
        ? slice.ports
        : [{ name: '', port: null, protocol: 'TCP' as const }];
    for (const ep of slice.endpoints ?? []) {
      for (const address of ep.addresses) {
        for (const p of ports) {
          rows.push({
            address,
            port: p.port ?? null,
            portName: p.name ?? '',
            protocol: p.protocol ?? 'TCP',
            ready: ep.conditions?.ready !== false,
            serving: ep.conditions?.serving ?? ep.conditions?.ready !== false,
            terminating: ep.conditions?.terminating ?? false,
            nodeName: ep.nodeName ?? null,
            zone: ep.zone ?? null,
            pod: ep.targetRef?.kind === 'Pod' && ep.targetRef.name ? ep.targetRef.name : null,
          });
        }
      }
    }
  }
  return rows;
}

/** Plain-words description of a Service's spec. */
export function describeService(service: Service, summary: ServiceSummaryDto): string[] {
  const lines: string[] = [];
  const s = service.spec;
  switch (summary.type) {
    case 'ExternalName':
      lines.push(
        `ExternalName: DNS answers ${summary.name}.${summary.namespace} with a CNAME to ${s.externalName ?? '(unset)'}; kube-proxy writes no rules for it.`,
      );
      return lines;
    case 'NodePort':
      lines.push("NodePort: reachable on its cluster IP and on every node's address at the node port.");
      break;
    case 'LoadBalancer':
      lines.push(
        "LoadBalancer: reachable on its cluster IP, the node ports, and the load balancer's ingress addresses.",
      );
      break;
    default:
      if (summary.headless)
        lines.push(
          'Headless (clusterIP: None): no virtual IP and no proxy rules; DNS returns the ready pod IPs directly.',
        );
      else lines.push('ClusterIP: reachable inside the cluster on its virtual IP.');
  }
  if (s.selector)
    lines.push(
      `Selects pods labelled ${Object.entries(s.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}.`,
    );
  else lines.push('No selector: its endpoints come from EndpointSlices written by hand.');
  for (const p of summary.ports) {
    const target =
      p.targetPort === null
        ? ''
        : typeof p.targetPort === 'string'
          ? ` → named container port "${p.targetPort}" (resolved per pod)`
          : ` → pod port ${p.targetPort}`;
    lines.push(
      `Port ${p.name ? `"${p.name}" ` : ''}${p.port}/${p.protocol}${target}${p.nodePort !== null ? `, node port ${p.nodePort}` : ''}.`,
    );
  }
  if (summary.loadBalancerIPs.length > 0)
    lines.push(`Load balancer ingress: ${summary.loadBalancerIPs.join(', ')}.`);
  if (s.loadBalancerSourceRanges?.length)
    lines.push(
      `Only clients from ${s.loadBalancerSourceRanges.join(', ')} may use the load balancer address; others are dropped.`,
    );
  if (summary.externalIPs.length > 0) lines.push(`External IPs: ${summary.externalIPs.join(', ')}.`);
  if (summary.sessionAffinity === 'ClientIP')
    lines.push(
      `Session affinity ClientIP: a client sticks to one endpoint for ${s.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800} s.`,
    );
  if (summary.externalTrafficPolicy === 'Local')
    lines.push(
      'externalTrafficPolicy Local: external traffic only goes to endpoints on the node it arrives at, and keeps the client source IP.',
    );
  if (summary.internalTrafficPolicy === 'Local')
    lines.push(
      'internalTrafficPolicy Local: traffic from inside the cluster only goes to endpoints on the same node.',
    );
  lines.push(`${summary.endpoints.ready} of ${summary.endpoints.total} endpoints ready.`);
  return lines;
}

/** The summary with drift on some nodes counted in its health (a copy; the index stays as built). */
export function withDrift(summary: ServiceSummaryDto, nodes: string[] | undefined): ServiceSummaryDto {
  if (!nodes || nodes.length === 0) return summary;
  return {
    ...summary,
    health: summary.health === 'error' ? 'error' : 'warning',
    healthReasons: [...summary.healthReasons, `rules differ from the cluster on ${nodes.sort().join(', ')}`],
  };
}
