// The ipsets kube-proxy's IPVS mode keeps (KUBE-PROXY.md §5.2), and their `ipset save` text.

export type KubeIpsetType =
  'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export interface KubeIpsetInfo {
  /** The IPv4 name; IPv6 names swap `KUBE-` for `KUBE-6-` and are cut to 31 characters. */
  name: string;
  type: KubeIpsetType;
  /** Used as the `-m comment` of the iptables rules that match the set. */
  comment: string;
}

/** In kube-proxy's order. */
export const KUBE_IPSETS = {
  loopBack: {
    name: 'KUBE-LOOP-BACK',
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  },
  clusterIP: {
    name: 'KUBE-CLUSTER-IP',
    type: 'hash:ip,port',
    comment: 'Kubernetes service cluster ip + port for masquerade purpose',
  },
  externalIP: {
    name: 'KUBE-EXTERNAL-IP',
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port for masquerade and filter purpose',
  },
  externalIPLocal: {
    name: 'KUBE-EXTERNAL-IP-LOCAL',
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local',
  },
  loadBalancer: { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  loadBalancerFW: {
    name: 'KUBE-LOAD-BALANCER-FW',
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  },
  loadBalancerLocal: {
    name: 'KUBE-LOAD-BALANCER-LOCAL',
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  },
  loadBalancerSourceIP: {
    name: 'KUBE-LOAD-BALANCER-SOURCE-IP',
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  },
  loadBalancerSourceCIDR: {
    name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    type: 'hash:ip,port,net',
    comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  },
  nodePortTCP: {
    name: 'KUBE-NODE-PORT-TCP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port for masquerade purpose',
  },
  nodePortLocalTCP: {
    name: 'KUBE-NODE-PORT-LOCAL-TCP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  },
  nodePortUDP: {
    name: 'KUBE-NODE-PORT-UDP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port for masquerade purpose',
  },
  nodePortLocalUDP: {
    name: 'KUBE-NODE-PORT-LOCAL-UDP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  },
  nodePortSCTP: {
    name: 'KUBE-NODE-PORT-SCTP-HASH',
    type: 'hash:ip,port',
    comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  },
  nodePortLocalSCTP: {
    name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
    type: 'hash:ip,port',
    comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  },
  healthCheckNodePort: {
    name: 'KUBE-HEALTH-CHECK-NODE-PORT',
    type: 'bitmap:port',
    comment: 'Kubernetes health check node port',
  },
  ipvsIPs: { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
} as const satisfies Record<string, KubeIpsetInfo>;

export type KubeIpsetKey = keyof typeof KUBE_IPSETS;

/** ipset names are at most 31 characters. */
const IPSET_NAME_MAX = 31;

/** `KUBE-CLUSTER-IP` → `KUBE-6-CLUSTER-IP` for IPv6, cut to 31 characters. */
export function kubeIpsetName(key: KubeIpsetKey, family: 4 | 6): string {
  const name: string = KUBE_IPSETS[key].name;
  if (family === 4) return name;
  return name.replace(/^KUBE-/, 'KUBE-6-').slice(0, IPSET_NAME_MAX);
}

/** Members of each set, as kube-proxy writes them (`IP,proto:port`, `IP,proto:port,IP2`, `port`, `IP`). */
export type KubeIpsetMembers = Record<KubeIpsetKey, Set<string>>;

export function emptyKubeIpsets(): KubeIpsetMembers {
  const out = {} as KubeIpsetMembers;
  for (const key of Object.keys(KUBE_IPSETS) as KubeIpsetKey[]) out[key] = new Set();
  return out;
}

/** `ipset save` text: every set (empty ones too), members sorted. */
export function formatKubeIpsets(members: KubeIpsetMembers, family: 4 | 6): string {
  const lines: string[] = [];
  for (const key of Object.keys(KUBE_IPSETS) as KubeIpsetKey[]) {
    const info = KUBE_IPSETS[key];
    const name = kubeIpsetName(key, family);
    lines.push(
      info.type === 'bitmap:port'
        ? `create ${name} bitmap:port range 0-65535`
        : `create ${name} ${info.type} family ${family === 4 ? 'inet' : 'inet6'} hashsize 1024 maxelem 65536`,
    );
    for (const m of [...members[key]].sort()) lines.push(`add ${name} ${m}`);
  }
  return `${lines.join('\n')}\n`;
}
