// Path graph of an IPVS dump: entry (VIP:port) → virtual server → real servers.
import type {
  EntryKind,
  GraphEdge,
  GraphEndpoint,
  GraphEntry,
  GraphNode,
  GraphResult,
  ServiceGraph,
} from '../graph/types.js';
import { joinHostPort, sameIp } from '../common/ip.js';
import { ipvsShares, type ScheduleOptions } from './schedulers/index.js';
import type { IpvsState, VirtualService } from './types.js';
import { virtualServiceKey, virtualServiceName } from './virtual-service.js';

export interface IpvsGraphOptions {
  /** `10.96.0.1:443/tcp` → `default/kubernetes:https`: names a bare dump cannot give. */
  names?: Record<string, string> | ReadonlyMap<string, string>;
  /** The node's addresses: virtual services on them are node ports. */
  nodeAddresses?: string[];
  schedule?: ScheduleOptions;
}

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

function lookupName(names: IpvsGraphOptions['names'], key: string): string | undefined {
  if (!names) return undefined;
  if (names instanceof Map) return names.get(key);
  return (names as Record<string, string>)[key];
}

const serverSetKey = (vs: VirtualService): string =>
  vs.realServers
    .map((rs) => joinHostPort(rs.address, rs.port))
    .sort()
    .join(',');

/**
 * Node ports: on a node address when those are given; otherwise a port in the default NodePort
 * range served on more than one address (kube-proxy adds one virtual server per node address).
 */
function classify(state: IpvsState, opts: IpvsGraphOptions): Map<VirtualService, EntryKind> {
  const kinds = new Map<VirtualService, EntryKind>();
  const addressesPerPort = new Map<string, number>();
  for (const vs of state.services) {
    const k = `${vs.protocol}|${vs.port}`;
    addressesPerPort.set(k, (addressesPerPort.get(k) ?? 0) + 1);
  }
  for (const vs of state.services) {
    let kind: EntryKind = 'clusterIP';
    if (vs.address !== null && opts.nodeAddresses && opts.nodeAddresses.length > 0) {
      if (opts.nodeAddresses.some((a) => sameIp(a, vs.address ?? ''))) kind = 'nodePort';
    } else if (
      vs.port !== null &&
      vs.port >= NODE_PORT_MIN &&
      vs.port <= NODE_PORT_MAX &&
      (addressesPerPort.get(`${vs.protocol}|${vs.port}`) ?? 0) > 1
    ) {
      kind = 'nodePort';
    }
    kinds.set(vs, kind);
  }
  return kinds;
}

/**
 * One ServiceGraph per service: named services are grouped by name; otherwise each cluster-IP
 * virtual server is its own service, and the node-port virtual servers of one port join the
 * cluster-IP service with exactly the same real servers when there is exactly one such.
 */
export function buildIpvsGraph(state: IpvsState, opts: IpvsGraphOptions = {}): GraphResult {
  const kinds = classify(state, opts);
  const groups = new Map<string, VirtualService[]>();
  const add = (name: string, vs: VirtualService): void => {
    const g = groups.get(name);
    if (g) g.push(vs);
    else groups.set(name, [vs]);
  };
  const unnamedNodePorts: VirtualService[] = [];
  for (const vs of state.services) {
    const name = lookupName(opts.names, virtualServiceName(vs));
    if (name !== undefined) add(name, vs);
    else if (kinds.get(vs) === 'nodePort') unnamedNodePorts.push(vs);
    else add(virtualServiceName(vs), vs);
  }
  const serverKeys = new Map(state.services.map((vs) => [vs, serverSetKey(vs)]));
  const serversOf = (vs: VirtualService): string => serverKeys.get(vs) ?? '';
  // Cluster-IP groups by protocol and real-server set, to find a node port's service quickly.
  const clusterGroups = new Map<string, Array<VirtualService[]>>();
  for (const [, g] of groups) {
    for (const v of g) {
      if (kinds.get(v) !== 'clusterIP' || serversOf(v) === '') continue;
      const k = `${v.protocol}|${serversOf(v)}`;
      const list = clusterGroups.get(k) ?? [];
      if (!list.includes(g)) list.push(g);
      clusterGroups.set(k, list);
    }
  }
  const byPort = new Map<string, VirtualService[]>();
  for (const vs of unnamedNodePorts) {
    const k = `${vs.protocol}|${vs.port}`;
    const list = byPort.get(k);
    if (list) list.push(vs);
    else byPort.set(k, [vs]);
  }
  for (const [, vss] of byPort) {
    const first = vss[0];
    if (!first) continue;
    const servers = serversOf(first);
    const sameServers = vss.every((v) => serversOf(v) === servers);
    const candidates = sameServers ? (clusterGroups.get(`${first.protocol}|${servers}`) ?? []) : [];
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (only) only.push(...vss);
    else for (const v of vss) add(`*:${first.port ?? 0}/${first.protocol ?? 'tcp'}`, v);
  }
  const services: ServiceGraph[] = [];
  const position = new Map(state.services.map((vs, i) => [vs, i + 1]));
  for (const [name, vss] of groups) services.push(serviceGraph(name, vss, kinds, position, opts));
  return { services };
}

function serviceGraph(
  name: string,
  vss: VirtualService[],
  kinds: Map<VirtualService, EntryKind>,
  position: Map<VirtualService, number>,
  opts: IpvsGraphOptions,
): ServiceGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const entries: GraphEntry[] = [];
  const warnings: string[] = [];
  const endpointNodes = new Set<string>();
  const primary = vss.find((v) => kinds.get(v) === 'clusterIP') ?? vss[0];
  let endpoints: GraphEndpoint[] = [];
  for (const vs of vss) {
    const key = virtualServiceKey(vs);
    // IPVS has no chains: a virtual service is referenced by its position in the dump, a real
    // server by its position under its virtual service.
    const ref = { table: 'ipvs', chain: key, rule: position.get(vs) ?? 0, text: vs.text.trim() };
    const kind = kinds.get(vs) ?? 'clusterIP';
    const entryId = `entry:${key}`;
    const vsId = `vs:${key}`;
    if (vs.fwmark !== null)
      warnings.push(
        `${key}: firewall-mark service; which packets carry the mark is decided by iptables rules`,
      );
    entries.push({ kind, ip: vs.address, port: vs.port ?? 0, target: key, rule: ref });
    nodes.push({
      id: entryId,
      kind: 'entry',
      label: vs.address !== null ? joinHostPort(vs.address, vs.port ?? 0) : key,
    });
    const vsNode: GraphNode = { id: vsId, kind: 'virtual-server', label: `${key} ${vs.scheduler}`.trim() };
    if (vs.persistenceTimeout !== null) vsNode.affinitySeconds = vs.persistenceTimeout;
    nodes.push(vsNode);
    edges.push({ from: entryId, to: vsId, probability: 1, rule: ref });
    const shares = ipvsShares(vs, opts.schedule);
    if (vs.realServers.length === 0) {
      const rejectId = `reject:${key}`;
      nodes.push({ id: rejectId, kind: 'reject', label: 'no real servers (ICMP port unreachable)' });
      edges.push({ from: vsId, to: rejectId, probability: 1, condition: 'no real servers', rule: null });
    }
    vs.realServers.forEach((rs, j) => {
      const addr = joinHostPort(rs.address, rs.port);
      const epId = `ep:${addr}`;
      if (!endpointNodes.has(epId)) {
        endpointNodes.add(epId);
        nodes.push({ id: epId, kind: 'endpoint', label: addr });
      }
      const p = shares.choices.find((c) => c.server === rs)?.probability ?? 0;
      const rsRef = { table: 'ipvs', chain: key, rule: j + 1, text: rs.text.trim() };
      const condition =
        rs.weight === 0
          ? 'weight 0: quiesced, existing connections only'
          : `${rs.forwarding} weight ${rs.weight}; ${shares.explanation}`;
      edges.push({ from: vsId, to: epId, probability: p, condition, rule: rsRef });
    });
    if (vs === primary) {
      endpoints = vs.realServers.map((rs) => ({
        address: joinHostPort(rs.address, rs.port),
        chain: null,
        probability: shares.choices.find((c) => c.server === rs)?.probability ?? 0,
      }));
    }
  }
  return {
    service: name,
    protocol: primary?.protocol ?? 'tcp',
    chain: null,
    entries,
    endpoints,
    nodes,
    edges,
    warnings,
  };
}
