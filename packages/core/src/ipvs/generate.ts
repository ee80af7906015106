// kube-proxy's IPVS mode for one node and one IP family: virtual servers, ipsets and the
// companion iptables rules (KUBE-PROXY.md §5). Output is text in the dump formats
// (`ipvsadm -S -n`, `ipset save`, `iptables-save`) so it can be parsed and compared like a real node.
import { cidrContains, parseCidr, parseIp, sameIp } from '../common/ip.js';
import { issue, type ParseIssue } from '../common/issues.js';
import { categorizeEndpoints } from '../endpoints/categorize.js';
import { servicePortsFor } from '../endpoints/service-ports.js';
import type { ProxyEndpoint } from '../endpoints/types.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import type { L4Protocol } from '../trace/types.js';
import { PROTOCOL_NUMBERS } from './protocols.js';
import { formatIpvsadmSave, formatServerLine, formatServiceLine } from './format-ipvsadm.js';
import { generateIpvsIptables, type LbNoNodeAccess } from './generate-iptables.js';
import { emptyKubeIpsets, formatKubeIpsets, type KubeIpsetMembers } from './kube-ipsets.js';
import { IPVS_SCHEDULERS } from './schedulers/index.js';
import type { RealServer, VirtualService } from './types.js';
import { virtualServiceKey, virtualServiceName } from './virtual-service.js';

export interface GenerateIpvsOptions {
  family: 4 | 6;
  /** `MASQUERADE --random-fully` (default true). */
  randomFully?: boolean;
}

export interface GenerateIpvsResult {
  /** `ipvsadm -S -n` text. */
  ipvs: string;
  /** `ipset save` text. */
  ipset: string;
  /** `iptables-save` (or `ip6tables-save`) text of the companion rules. */
  iptables: string;
  /** The virtual services behind `ipvs`, for callers that want structure. */
  services: VirtualService[];
  /** `10.96.0.1:443/tcp` → `default/kubernetes:https` for every virtual service, for buildIpvsGraph. */
  names: Record<string, string>;
  /** Addresses kube-proxy binds to the kube-ipvs0 dummy interface. */
  boundAddresses: string[];
  issues: ParseIssue[];
}

const lower = (p: string): L4Protocol => (p === 'UDP' ? 'udp' : p === 'SCTP' ? 'sctp' : 'tcp');

/** Node addresses that get NodePort virtual servers: all node IPs, or those selected by nodePortAddresses. */
export function nodePortIPs(
  settings: Pick<ProxySettings, 'nodeIPs' | 'nodePortAddresses'>,
  family: 4 | 6,
): string[] {
  const ips = settings.nodeIPs.filter((ip) => parseIp(ip)?.family === family);
  const usable = ips.filter((ip) => !excludedFromNodePorts(ip));
  if (settings.nodePortAddresses.length === 0) return usable;
  const out: string[] = [];
  for (const sel of settings.nodePortAddresses) {
    if (sel === 'primary') {
      const first = usable[0];
      if (first !== undefined) out.push(first);
      continue;
    }
    const cidr = parseCidr(sel);
    if (!cidr || cidr.family !== family) continue;
    for (const ip of usable) {
      const v = parseIp(ip);
      if (v && cidrContains(cidr, v)) out.push(ip);
    }
  }
  return [...new Set(out)];
}

/** kube-proxy never uses loopback or IPv6 link-local addresses for node ports. */
function excludedFromNodePorts(ip: string): boolean {
  const v = parseIp(ip);
  if (!v) return false;
  if (v.family === 4) return v.value >> 24n === 127n;
  return v.value === 1n || v.value >> 118n === 0x3fan; // ::1, fe80::/10
}

function realServers(eps: ProxyEndpoint[]): RealServer[] {
  return [...eps]
    .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
    .map((ep) => ({
      address: ep.ip,
      port: ep.port,
      forwarding: 'Masq',
      weight: 1,
      activeConns: null,
      inactConns: null,
      stats: null,
      rates: null,
      line: null,
      text: '',
    }));
}

export function generateIpvs(
  input: { services: readonly Service[]; endpointSlices: readonly EndpointSlice[] },
  settings: ProxySettings,
  opts: GenerateIpvsOptions,
): GenerateIpvsResult {
  const { family } = opts;
  const issues: ParseIssue[] = [];
  const scheduler = settings.ipvsScheduler === '' ? 'rr' : settings.ipvsScheduler;
  if (!(IPVS_SCHEDULERS as readonly string[]).includes(scheduler)) {
    issues.push(
      issue(
        'warning',
        null,
        `unknown IPVS scheduler "${scheduler}": the kernel would refuse the virtual servers`,
      ),
    );
  }
  const ports = servicePortsFor(input.services, input.endpointSlices, settings, family).sort((a, b) =>
    a.servicePortName === b.servicePortName
      ? a.protocol < b.protocol
        ? -1
        : 1
      : a.servicePortName < b.servicePortName
        ? -1
        : 1,
  );
  const nodeIPs = ports.some((p) => p.nodePort !== 0) ? nodePortIPs(settings, family) : [];
  if (ports.some((p) => p.nodePort !== 0)) {
    if (nodeIPs.length === 0)
      issues.push(
        issue(
          'warning',
          null,
          'node ports: no node address of this family is selected, so no NodePort virtual servers',
        ),
      );
    else if (settings.nodePortAddresses.length === 0) {
      issues.push(
        issue(
          'warning',
          null,
          `node ports: kube-proxy uses every local address of the node (docker0, CNI bridges …); only the configured node IPs are known: ${nodeIPs.join(', ')}`,
        ),
      );
    }
  }
  const isNodeAddress = (ip: string): boolean => settings.nodeIPs.some((n) => sameIp(n, ip));
  const members: KubeIpsetMembers = emptyKubeIpsets();
  const services: VirtualService[] = [];
  const byKey = new Map<string, VirtualService>();
  const names: Record<string, string> = {};
  const bound = new Set<string>();
  const lbNoNodeAccess: LbNoNodeAccess[] = [];
  const primaryNodeIP = settings.nodeIPs.find((ip) => parseIp(ip)?.family === family);

  for (const sp of ports) {
    const proto = lower(sp.protocol);
    const cat = categorizeEndpoints(sp, settings.nodeName, settings.zone, settings.featureGates);
    // §5.1: a Local policy with no local endpoints falls back to the cluster endpoints.
    const endpointsFor = (onlyLocal: boolean): ProxyEndpoint[] =>
      onlyLocal && cat.localEndpoints.length > 0 ? cat.localEndpoints : cat.clusterEndpoints;
    const makeVS = (address: string, port: number, onlyLocal: boolean): VirtualService => {
      const vs: VirtualService = {
        protocol: proto,
        address,
        port,
        fwmark: null,
        family,
        scheduler,
        schedulerFlags: scheduler === 'mh' ? ['mh-port'] : [],
        persistenceTimeout: sp.stickyMaxAgeSeconds > 0 ? sp.stickyMaxAgeSeconds : null,
        netmask: null,
        onePacket: false,
        persistenceEngine: null,
        realServers: realServers(endpointsFor(onlyLocal)),
        stats: null,
        rates: null,
        line: null,
        text: '',
      };
      const key = virtualServiceKey(vs);
      const existing = byKey.get(key);
      if (existing) {
        // Two Services claim the same address:port; kube-proxy syncs both and the later one wins.
        issues.push(
          issue(
            'warning',
            null,
            `${sp.servicePortName}: virtual service ${key} is also used by another Service port`,
          ),
        );
        existing.realServers = vs.realServers;
        return existing;
      }
      byKey.set(key, vs);
      names[virtualServiceName(vs)] = sp.servicePortName;
      services.push(vs);
      return vs;
    };
    const ipPort = (ip: string, port = sp.port): string => `${ip},${proto}:${port}`;

    for (const ep of sp.endpoints) {
      if (ep.isLocal) members.loopBack.add(`${ep.ip},${proto}:${ep.port},${ep.ip}`);
    }
    members.clusterIP.add(ipPort(sp.clusterIP));
    makeVS(sp.clusterIP, sp.port, sp.internalPolicyLocal);
    bound.add(sp.clusterIP);
    if (sp.internalPolicyLocal && cat.localEndpoints.length === 0 && cat.hasEndpoints) {
      issues.push(
        issue(
          'warning',
          null,
          `${sp.servicePortName}: internalTrafficPolicy Local without local endpoints: IPVS uses the cluster endpoints (${cat.clusterEndpoints.length}), where iptables/nftables would drop`,
        ),
      );
    }

    for (const eip of sp.externalIPs) {
      (sp.externalPolicyLocal ? members.externalIPLocal : members.externalIP).add(ipPort(eip));
      makeVS(eip, sp.port, sp.externalPolicyLocal);
      if (!isNodeAddress(eip)) bound.add(eip);
    }
    for (const vip of sp.loadBalancerVIPs) {
      members.loadBalancer.add(ipPort(vip));
      if (sp.externalPolicyLocal) members.loadBalancerLocal.add(ipPort(vip));
      if (sp.loadBalancerSourceRanges.length > 0) {
        members.loadBalancerFW.add(ipPort(vip));
        let allowFromNode = false;
        for (const cidr of sp.loadBalancerSourceRanges) {
          members.loadBalancerSourceCIDR.add(`${vip},${proto}:${sp.port},${cidr}`);
          const c = parseCidr(cidr);
          const n = primaryNodeIP === undefined ? null : parseIp(primaryNodeIP);
          if (c && n && cidrContains(c, n)) allowFromNode = true;
        }
        if (allowFromNode) members.loadBalancerSourceIP.add(`${vip},${proto}:${sp.port},${vip}`);
        else lbNoNodeAccess.push({ ip: vip, protocolNumber: PROTOCOL_NUMBERS[proto], port: sp.port });
      }
      makeVS(vip, sp.port, sp.externalPolicyLocal);
      if (!isNodeAddress(vip)) bound.add(vip);
    }
    if (sp.nodePort !== 0 && nodeIPs.length > 0) {
      if (proto === 'sctp') {
        for (const ip of nodeIPs) {
          members.nodePortSCTP.add(ipPort(ip, sp.nodePort));
          if (sp.externalPolicyLocal) members.nodePortLocalSCTP.add(ipPort(ip, sp.nodePort));
        }
      } else {
        (proto === 'tcp' ? members.nodePortTCP : members.nodePortUDP).add(String(sp.nodePort));
        if (sp.externalPolicyLocal)
          (proto === 'tcp' ? members.nodePortLocalTCP : members.nodePortLocalUDP).add(String(sp.nodePort));
      }
      for (const ip of nodeIPs) makeVS(ip, sp.nodePort, sp.externalPolicyLocal);
    }
    if (sp.healthCheckNodePort !== 0) members.healthCheckNodePort.add(String(sp.healthCheckNodePort));
    if (
      sp.externalPolicyLocal &&
      sp.externallyAccessible &&
      cat.localEndpoints.length === 0 &&
      cat.hasEndpoints
    ) {
      issues.push(
        issue(
          'warning',
          null,
          `${sp.servicePortName}: externalTrafficPolicy Local without local endpoints: IPVS uses the cluster endpoints, where iptables/nftables would drop external traffic`,
        ),
      );
    }
  }
  for (const ip of bound) members.ipvsIPs.add(ip);
  // Give the generated objects the text a dump would have, for labels in traces and graphs.
  for (const vs of services) {
    vs.text = formatServiceLine(vs);
    for (const rs of vs.realServers) rs.text = formatServerLine(vs, rs);
  }

  const iptables = generateIpvsIptables({
    members,
    family,
    settings,
    lbNoNodeAccess,
    ...(opts.randomFully !== undefined ? { randomFully: opts.randomFully } : {}),
  });
  return {
    ipvs: formatIpvsadmSave({ services }),
    ipset: formatKubeIpsets(members, family),
    iptables,
    services,
    names,
    boundAddresses: [...bound].sort(),
    issues,
  };
}
