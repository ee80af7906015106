// The one place the server calls @svcpath/core's proxy logic: reading dumps, generating the
// expected dataplane, building graphs, tracing, diffing and discovery. Everything here is a thin
// call into core; the server itself knows nothing of kube-proxy's rules.
import {
  addDump,
  dnsRecords,
  emptyDataplane,
  generateIpvs,
  graphDataplane,
  generateIptables,
  generateNftables,
  serviceEnvVarsFor,
  traceDataplane,
  traceNftables,
} from '@svcpath/core';
import { diffNode as diffDataplaneItems } from './graph-drift.js';
import type {
  ClusterState,
  DumpKind,
  EndpointSlice,
  GraphResult,
  NodeDataplane,
  ParseIssue,
  ProxyMode,
  ProxySettings,
  Service,
  TracePacket,
  TraceResult,
} from '@svcpath/core';

/** One dump read by core: the dataplane it contributes and its issues (with line numbers). */
export interface ParsedDump {
  kind: DumpKind;
  dataplane: NodeDataplane;
  issues: ParseIssue[];
}

/** The node's dataplane as the cluster says it should be: dump texts by kind. */
export type ExpectedDumps = Partial<Record<DumpKind, string>>;

export interface DriftItem {
  service: string;
  message: string;
  /** `missing-endpoint`, `unexpected-endpoint`, `missing-service`, `probability`, … */
  code: string;
}

export interface EngineUnavailable {
  unavailable: string;
}

export const isUnavailable = (v: unknown): v is EngineUnavailable =>
  typeof v === 'object' && v !== null && 'unavailable' in v;

export function parseDump(kind: DumpKind, text: string): ParsedDump {
  const dataplane = addDump(emptyDataplane(), kind, text);
  return { kind, dataplane, issues: dataplane.issues };
}

/** The first error that makes a dump unusable (an upload of it is refused with 422). */
export function fatalIssue(parsed: ParsedDump): ParseIssue | null {
  return parsed.issues.find((i) => i.severity === 'error') ?? null;
}

/** All of a node's dumps as one dataplane. */
export function mergeDataplane(dumps: ReadonlyMap<DumpKind, ParsedDump>): NodeDataplane {
  let dp: NodeDataplane = emptyDataplane();
  for (const parsed of dumps.values()) {
    const { issues, ...parts } = parsed.dataplane;
    dp = { ...dp, ...parts, issues: [...dp.issues, ...issues] };
  }
  return dp;
}

export function generateExpected(
  cluster: ClusterState,
  settings: ProxySettings,
): ExpectedDumps | EngineUnavailable {
  // IPv6 rules only where the cluster has IPv6 Services (kube-proxy writes the family it serves).
  const v6 = hasIPv6Services(cluster);
  switch (settings.mode) {
    case 'iptables':
      return {
        iptables: generateIptables(cluster, settings, { family: 4, format: 'save' }).text,
        ...(v6 ? { ip6tables: generateIptables(cluster, settings, { family: 6, format: 'save' }).text } : {}),
      };
    case 'nftables': {
      const v4 = generateNftables(cluster, settings, { family: 4, format: 'ruleset' }).text;
      return {
        nft: v6 ? v4 + generateNftables(cluster, settings, { family: 6, format: 'ruleset' }).text : v4,
      };
    }
    case 'ipvs': {
      const g = generateIpvs(cluster, settings, { family: 4 });
      if (!v6) return { ipvs: g.ipvs, ipset: g.ipset, iptables: g.iptables };
      const g6 = generateIpvs(cluster, settings, { family: 6 });
      return {
        ipvs: g.ipvs + g6.ipvs,
        ipset: g.ipset + g6.ipset,
        iptables: g.iptables,
        ip6tables: g6.iptables,
      };
    }
  }
}

const hasIPv6Services = (cluster: ClusterState): boolean =>
  cluster.services.some((s) =>
    (s.spec.clusterIPs ?? (s.spec.clusterIP ? [s.spec.clusterIP] : [])).some((ip) => ip.includes(':')),
  );

/** Graph of the whole node from its parsed dumps (actual or expected, same code). */
export function buildGraph(
  settings: ProxySettings,
  cluster: ClusterState,
  dumps: ReadonlyMap<DumpKind, ParsedDump>,
): GraphResult | EngineUnavailable {
  const dp = mergeDataplane(dumps);
  if (!dp.iptables && !dp.ip6tables && !dp.nft && !dp.ipvs)
    return { unavailable: "the node's dumps hold no ruleset a path graph can be drawn from" };
  return graphDataplane(dp, {
    names: Object.fromEntries(virtualServerNames(cluster, settings.nodeIPs)),
    nodeAddresses: settings.nodeIPs,
    loadBalancerIPs: loadBalancerIPs(cluster),
  });
}

const loadBalancerIPs = (cluster: ClusterState): string[] =>
  cluster.services.flatMap((svc) =>
    (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
  );

/** `IP:PORT/proto` → `namespace/name:port`: the names IPVS dumps do not carry. */
function virtualServerNames(cluster: ClusterState, nodeIPs: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  for (const svc of cluster.services) {
    const ns = svc.metadata.namespace ?? 'default';
    const ips = [
      ...(svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])).filter(
        (ip) => ip !== 'None',
      ),
      ...(svc.spec.externalIPs ?? []),
      ...(svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
    ];
    for (const p of svc.spec.ports ?? []) {
      const name = p.name ? `${ns}/${svc.metadata.name}:${p.name}` : `${ns}/${svc.metadata.name}`;
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      for (const ip of ips) names.set(`${hostPort(ip, p.port)}/${proto}`, name);
      if (p.nodePort !== undefined)
        for (const ip of nodeIPs) names.set(`${hostPort(ip, p.nodePort)}/${proto}`, name);
    }
  }
  return names;
}

export function trace(
  dumps: ReadonlyMap<DumpKind, ParsedDump>,
  packet: TracePacket,
  localAddresses: string[],
): TraceResult | EngineUnavailable {
  const dp = mergeDataplane(dumps);
  // A node in nftables mode: kube-proxy's rules live in its nft table.
  if (dp.nft && !dp.iptables && !dp.ip6tables) return traceNftables(dp.nft, packet, { localAddresses });
  if (!dp.iptables && !dp.ip6tables && !dp.ipvs)
    return { unavailable: 'the node has no dump to trace (iptables, ip6tables, nft or ipvs)' };
  return traceDataplane(dp, packet, { localAddresses });
}

/** Expected vs actual on one node (their parsed dumps and graphs). */
export function diffNode(
  expected: { dumps: ReadonlyMap<DumpKind, ParsedDump>; graph: GraphResult },
  actual: { dumps: ReadonlyMap<DumpKind, ParsedDump>; graph: GraphResult },
): DriftItem[] {
  return diffDataplaneItems(
    { dataplane: mergeDataplane(expected.dumps), graph: expected.graph },
    { dataplane: mergeDataplane(actual.dumps), graph: actual.graph },
  );
}

/** Which mode a set of dumps shows, or null when they do not tell. */
export function detectMode(dumps: ReadonlyMap<DumpKind, ParsedDump>): ProxyMode | null {
  const dp = mergeDataplane(dumps);
  if (dp.ipvs && dp.ipvs.services.length > 0) return 'ipvs';
  if (dp.nft?.tables.some((t) => t.name === 'kube-proxy')) return 'nftables';
  if (dp.iptables) return 'iptables';
  return null;
}

export interface Discovery {
  dns: Array<{ type: 'A' | 'AAAA' | 'SRV' | 'CNAME'; name: string; value: string }>;
  env: Array<{ name: string; value: string }>;
}

/** DNS records and environment variables for one Service (its own EndpointSlices given). */
export function discovery(service: Service, slices: EndpointSlice[], clusterDomain: string): Discovery {
  const dns = dnsRecords({ services: [service], endpointSlices: slices }, clusterDomain).map((r) => ({
    type: r.type,
    name: r.name,
    // SRV rdata as dig shows it: priority weight port target.
    value: r.type === 'SRV' ? `0 100 ${r.port ?? 0} ${r.value}` : r.value,
  }));
  return { dns, env: serviceEnvVarsFor(service) };
}
