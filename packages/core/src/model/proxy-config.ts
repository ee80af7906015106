// ProxySettings from kube-proxy's KubeProxyConfiguration (its ConfigMap), with kube-proxy's defaults.
import { issue } from '../common/issues.js';
import type { ParseIssue } from '../common/issues.js';
import { canonicalCIDRSloppy, canonicalIPSloppy } from '../common/ip-sloppy.js';
import type { Node, ProxyMode, ProxySettings } from './types.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const DETECT_MODES = ['ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix'] as const;

/** Feature gates svcpath reads, at their defaults for the newest kube-proxy described. */
export const DEFAULT_FEATURE_GATES: Readonly<Record<string, boolean>> = {
  PreferSameTrafficDistribution: true,
  TopologyAwareHints: true,
};

/** kube-proxy's defaults for a node (iptables mode, bit 14, localhost NodePorts on, no detector). */
export function defaultProxySettings(nodeName: string, nodeIPs: readonly string[]): ProxySettings {
  return {
    mode: 'iptables',
    nodeName,
    nodeIPs: [...nodeIPs],
    clusterCIDRs: [],
    detectLocalMode: 'None',
    nodePodCIDRs: [],
    masqueradeAll: false,
    masqueradeBit: 14,
    localhostNodePorts: true,
    nodePortAddresses: [],
    ipvsScheduler: 'rr',
    serviceCIDRs: [],
    featureGates: { ...DEFAULT_FEATURE_GATES },
  };
}

/** A Node's addresses, InternalIPs first (the first is the primary), then ExternalIPs. */
export function nodeAddresses(node: Node): string[] {
  const addrs = node.status?.addresses ?? [];
  const pick = (type: string) =>
    addrs.filter((a) => a.type === type).map((a) => canonicalIPSloppy(a.address) ?? a.address);
  return [...new Set([...pick('InternalIP'), ...pick('ExternalIP')])];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Settings for one node from a parsed `KubeProxyConfiguration`. Unknown or invalid values are
 * reported and replaced by kube-proxy's defaults; `overrides` win over everything (command-line flags).
 */
export function proxySettingsFromConfig(
  config: unknown,
  node: { name: string; node?: Node; overrides?: Partial<ProxySettings> },
): { settings: ProxySettings; issues: ParseIssue[] } {
  const issues: ParseIssue[] = [];
  const nodeIPs = node.node ? nodeAddresses(node.node) : [];
  const s = defaultProxySettings(node.name, nodeIPs);
  const cfg = isRecord(config) ? config : {};
  if (!isRecord(config) && config !== undefined && config !== null) {
    issues.push(issue('error', null, 'KubeProxyConfiguration is not an object; using defaults'));
  }
  if (cfg['kind'] !== undefined && cfg['kind'] !== 'KubeProxyConfiguration') {
    issues.push(issue('warning', null, `unexpected kind ${String(cfg['kind'])}`, 'kind'));
  }
  const str = (v: unknown, path: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    issues.push(issue('error', null, `expected a string`, path));
    return undefined;
  };
  const bool = (v: unknown, path: string): boolean | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    issues.push(issue('error', null, `expected true or false`, path));
    return undefined;
  };
  const section = (name: string): Record<string, unknown> => {
    const v = cfg[name];
    return isRecord(v) ? v : {};
  };

  // Mode: '' means iptables on Linux.
  const mode = str(cfg['mode'], 'mode') ?? '';
  if (mode === '' || mode === 'iptables' || mode === 'nftables' || mode === 'ipvs') {
    s.mode = (mode === '' ? 'iptables' : mode) as ProxyMode;
  } else
    issues.push(
      issue(
        'error',
        null,
        `unknown proxy mode "${mode}" (kernelspace is Windows-only); using iptables`,
        'mode',
      ),
    );

  const ipt = section('iptables');
  const nft = section('nftables');
  const linux = section('linux');
  const modeSection = s.mode === 'nftables' ? nft : ipt;
  const masqAll =
    bool(linux['masqueradeAll'], 'linux.masqueradeAll') ??
    bool(modeSection['masqueradeAll'], `${s.mode === 'nftables' ? 'nftables' : 'iptables'}.masqueradeAll`) ??
    bool(ipt['masqueradeAll'], 'iptables.masqueradeAll');
  if (masqAll !== undefined) s.masqueradeAll = masqAll;
  const bitInMode = modeSection['masqueradeBit'] !== undefined && modeSection['masqueradeBit'] !== null;
  const bit = bitInMode ? modeSection['masqueradeBit'] : ipt['masqueradeBit'];
  const bitPath = `${bitInMode && s.mode === 'nftables' ? 'nftables' : 'iptables'}.masqueradeBit`;
  if (bit !== undefined && bit !== null) {
    if (typeof bit === 'number' && Number.isInteger(bit) && bit >= 0 && bit <= 31) s.masqueradeBit = bit;
    else issues.push(issue('error', null, 'masqueradeBit must be an integer 0..31; using 14', bitPath));
  }
  const lnp = bool(ipt['localhostNodePorts'], 'iptables.localhostNodePorts');
  if (lnp !== undefined) s.localhostNodePorts = lnp;

  // Cluster CIDR(s): comma-separated, one per family.
  const clusterCIDR = str(cfg['clusterCIDR'], 'clusterCIDR') ?? '';
  for (const part of clusterCIDR
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const c = canonicalCIDRSloppy(part);
    if (c) s.clusterCIDRs.push(c);
    else issues.push(issue('error', null, `invalid cluster CIDR "${part}"`, 'clusterCIDR'));
  }
  const detect = str(cfg['detectLocalMode'], 'detectLocalMode') ?? '';
  const detectLocal = section('detectLocal');
  if (detect === '' || detect === 'ClusterCIDR') {
    s.detectLocalMode = s.clusterCIDRs.length > 0 ? 'ClusterCIDR' : 'None';
    if (detect === 'ClusterCIDR' && s.clusterCIDRs.length === 0) {
      issues.push(
        issue(
          'warning',
          null,
          'detectLocalMode ClusterCIDR without clusterCIDR: no local-traffic detector',
          'clusterCIDR',
        ),
      );
    }
  } else if ((DETECT_MODES as readonly string[]).includes(detect))
    s.detectLocalMode = detect as ProxySettings['detectLocalMode'];
  else
    issues.push(
      issue('error', null, `unknown detectLocalMode "${detect}"; no local detector`, 'detectLocalMode'),
    );
  if (s.detectLocalMode === 'BridgeInterface') {
    const br = str(detectLocal['bridgeInterface'], 'detectLocal.bridgeInterface');
    if (br) s.detectLocalInterface = br;
    else
      issues.push(
        issue('error', null, 'BridgeInterface mode needs detectLocal.bridgeInterface', 'detectLocal'),
      );
  }
  if (s.detectLocalMode === 'InterfaceNamePrefix') {
    const p = str(detectLocal['interfaceNamePrefix'], 'detectLocal.interfaceNamePrefix');
    if (p) s.detectLocalInterface = p;
    else
      issues.push(
        issue('error', null, 'InterfaceNamePrefix mode needs detectLocal.interfaceNamePrefix', 'detectLocal'),
      );
  }
  const podCIDRs = node.node?.spec?.podCIDRs ?? (node.node?.spec?.podCIDR ? [node.node.spec.podCIDR] : []);
  s.nodePodCIDRs = podCIDRs.map((c) => canonicalCIDRSloppy(c) ?? c);
  if (s.detectLocalMode === 'NodeCIDR' && s.nodePodCIDRs.length === 0) {
    issues.push(issue('warning', null, 'NodeCIDR detection but the Node has no podCIDRs: no local detector'));
  }

  const npa = cfg['nodePortAddresses'];
  if (Array.isArray(npa)) {
    npa.forEach((v, i) => {
      if (typeof v === 'string' && (v === 'primary' || canonicalCIDRSloppy(v.trim()) !== null))
        s.nodePortAddresses.push(v.trim());
      else
        issues.push(
          issue(
            'error',
            null,
            `invalid nodePortAddresses entry ${JSON.stringify(v)}`,
            `nodePortAddresses[${i}]`,
          ),
        );
    });
  } else if (npa !== undefined && npa !== null)
    issues.push(issue('error', null, 'expected a list', 'nodePortAddresses'));
  // nftables mode accepts NodePorts only on the primary IPs unless told otherwise.
  if (s.mode === 'nftables' && s.nodePortAddresses.length === 0) s.nodePortAddresses = ['primary'];

  const ipvs = section('ipvs');
  const sched = str(ipvs['scheduler'], 'ipvs.scheduler');
  if (sched) s.ipvsScheduler = sched;

  const bindAddress = str(cfg['bindAddress'], 'bindAddress');
  const bindIP = bindAddress ? canonicalIPSloppy(bindAddress) : null;
  if (bindIP && bindIP !== '0.0.0.0' && bindIP !== '::')
    s.nodeIPs = [bindIP, ...s.nodeIPs.filter((ip) => ip !== bindIP)];

  const gates = cfg['featureGates'];
  if (isRecord(gates)) {
    for (const [k, v] of Object.entries(gates)) {
      if (typeof v === 'boolean') s.featureGates[k] = v;
      else issues.push(issue('error', null, 'feature gate values are true or false', `featureGates.${k}`));
    }
  }
  const linuxConntrack = isRecord(linux['conntrack']) ? linux['conntrack'] : {};
  const liberal =
    bool(section('conntrack')['tcpBeLiberal'], 'conntrack.tcpBeLiberal') ??
    bool(linuxConntrack['tcpBeLiberal'], 'linux.conntrack.tcpBeLiberal');
  if (liberal !== undefined) s.conntrackTCPLiberal = liberal;

  const zone = node.node?.metadata.labels?.[ZONE_LABEL];
  if (zone !== undefined) s.zone = zone;
  const hostname = str(cfg['hostnameOverride'], 'hostnameOverride');
  if (hostname && hostname !== node.name) {
    issues.push(
      issue(
        'warning',
        null,
        `hostnameOverride "${hostname}" differs from the node name "${node.name}"`,
        'hostnameOverride',
      ),
    );
  }
  if (s.nodeIPs.length === 0)
    issues.push(issue('warning', null, 'no node IPs known: NodePort and LOCAL matches cannot be resolved'));

  return { settings: { ...s, ...(node.overrides ?? {}) }, issues };
}
