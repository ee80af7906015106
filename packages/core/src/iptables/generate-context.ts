// Settings resolved once per generation: mark text, local detector, node IPs of the family.
import { hostCidr } from '../common/ip.js';
import { canonicalIPsSloppy, cidrContainsSloppy, parseCIDRSloppy } from '../common/ip-sloppy.js';
import type { ProxySettings } from '../model/types.js';

export interface GenerateIptablesOptions {
  family: 4 | 6;
  format: 'restore-input' | 'save';
  /** Endpoints over all service ports above which comments are dropped (kube-proxy: 1000). */
  largeClusterThreshold?: number;
  /**
   * The nfacct counters exist on the host; per counter when an object. Default: true for
   * `restore-input` (kube-proxy creates them), false for `save`, whose promise is that
   * `iptables-restore` into an empty network namespace works (an nfacct match needs the object).
   */
  nfacct?: boolean | Partial<Record<NfacctCounter, boolean>>;
  /** The iptables binary supports `--random-fully` (default true). */
  randomFully?: boolean;
  /** `kube-proxy` writes `0x004000`; kube-proxy's unit tests inject `0x4000`. */
  markFormat?: 'kube-proxy' | 'test';
}

export type NfacctCounter = 'ct_state_invalid_dropped_pkts' | 'localhost_nps_accepted_pkts';

export interface LocalDetector {
  /** Fragment matching traffic from local pods, e.g. `-s 10.0.0.0/8`. */
  ifLocal: string[];
  ifNotLocal: string[];
}

export interface GenerateContext {
  family: 4 | 6;
  mark: string;
  detector: LocalDetector | null;
  masqueradeAll: boolean;
  nodeIPs: string[];
  primaryNodeIP: string | null;
  localhostNodePorts: boolean;
  /** null = match all local addresses; else the node IPs NodePorts are accepted on. */
  nodePortIPs: string[] | null;
  /** Whether 127.0.0.1 is a NodePort address (IPv4 localhost NodePorts). */
  nodePortsOnLoopback: boolean;
  /** Counters that exist on the host. */
  nfacct: Record<NfacctCounter, boolean>;
  randomFully: boolean;
  conntrackTCPLiberal: boolean;
  largeClusterThreshold: number;
}

export const DEFAULT_LARGE_CLUSTER_THRESHOLD = 1000;

/** Go's `%#08x` (kube-proxy) or plain hex (unit tests). */
export function formatMark(bit: number, markFormat: 'kube-proxy' | 'test'): string {
  const hex = (2 ** bit).toString(16);
  return markFormat === 'test' ? `0x${hex}` : `0x${hex.padStart(6, '0')}`;
}

function detectorFor(settings: ProxySettings, family: 4 | 6): LocalDetector | null {
  const ofFamily = (cidrs: readonly string[]) =>
    cidrs.find((c) => parseCIDRSloppy(c.trim())?.family === family);
  switch (settings.detectLocalMode) {
    case 'ClusterCIDR':
    case 'NodeCIDR': {
      const cidr = ofFamily(
        settings.detectLocalMode === 'ClusterCIDR' ? settings.clusterCIDRs : settings.nodePodCIDRs,
      );
      if (cidr === undefined) return null;
      const text = cidr.trim();
      return { ifLocal: ['-s', text], ifNotLocal: ['!', '-s', text] };
    }
    case 'BridgeInterface': {
      const br = settings.detectLocalInterface;
      return br ? { ifLocal: ['-i', br], ifNotLocal: ['!', '-i', br] } : null;
    }
    case 'InterfaceNamePrefix': {
      const p = settings.detectLocalInterface;
      return p ? { ifLocal: ['-i', `${p}+`], ifNotLocal: ['!', '-i', `${p}+`] } : null;
    }
    default:
      return null;
  }
}

function nodePortIPs(settings: ProxySettings, family: 4 | 6, nodeIPs: string[]): string[] | null {
  const entries = settings.nodePortAddresses.map((s) => s.trim()).filter((s) => s !== '');
  const cidrs: string[] = [];
  for (const e of entries) {
    if (e === 'primary') {
      if (nodeIPs[0] !== undefined) cidrs.push(hostCidr(nodeIPs[0], family));
      continue;
    }
    const c = parseCIDRSloppy(e);
    if (c && c.family === family) cidrs.push(e);
  }
  if (cidrs.length === 0) return null;
  if (cidrs.some((c) => parseCIDRSloppy(c)?.prefix === 0)) return null;
  const candidates = family === 4 ? [...nodeIPs, '127.0.0.1'] : [...nodeIPs, '::1'];
  return [...new Set(candidates)].filter((ip) => cidrs.some((c) => cidrContainsSloppy(c, ip)));
}

function nfacctCounters(v: GenerateIptablesOptions['nfacct']): Record<NfacctCounter, boolean> {
  if (v === undefined || typeof v === 'boolean') {
    const on = v ?? true;
    return { ct_state_invalid_dropped_pkts: on, localhost_nps_accepted_pkts: on };
  }
  return {
    ct_state_invalid_dropped_pkts: v.ct_state_invalid_dropped_pkts ?? false,
    localhost_nps_accepted_pkts: v.localhost_nps_accepted_pkts ?? false,
  };
}

export function resolveContext(settings: ProxySettings, opts: GenerateIptablesOptions): GenerateContext {
  const family = opts.family;
  const nodeIPs = canonicalIPsSloppy(settings.nodeIPs, family);
  const npIPs = nodePortIPs(settings, family, nodeIPs);
  return {
    family,
    mark: formatMark(settings.masqueradeBit, opts.markFormat ?? 'kube-proxy'),
    detector: detectorFor(settings, family),
    masqueradeAll: settings.masqueradeAll,
    nodeIPs,
    primaryNodeIP: nodeIPs[0] ?? null,
    localhostNodePorts: settings.localhostNodePorts,
    nodePortIPs: npIPs,
    nodePortsOnLoopback: family === 4 && (npIPs === null || npIPs.includes('127.0.0.1')),
    nfacct: nfacctCounters(opts.nfacct ?? opts.format !== 'save'),
    randomFully: opts.randomFully ?? true,
    conntrackTCPLiberal: settings.conntrackTCPLiberal ?? false,
    largeClusterThreshold: opts.largeClusterThreshold ?? DEFAULT_LARGE_CLUSTER_THRESHOLD,
  };
}
