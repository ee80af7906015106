// The iptables rules kube-proxy writes beside IPVS (KUBE-PROXY.md §5.3), printed as `iptables-save`
// shows them: chains declared first (built-in, then kube-proxy's sorted), rules grouped by chain,
// builtin matches (`-s`, `-p`, `! -i`) before the `-m` modules, and MARK targets as `--set-xmark`.
import { hostCidr, parseCidr } from '../common/ip.js';
import type { ProxySettings } from '../model/types.js';
import { KUBE_IPSETS, kubeIpsetName, type KubeIpsetKey, type KubeIpsetMembers } from './kube-ipsets.js';

export interface LbNoNodeAccess {
  ip: string;
  protocolNumber: number;
  port: number;
}

export interface IpvsIptablesInput {
  members: KubeIpsetMembers;
  family: 4 | 6;
  settings: Pick<
    ProxySettings,
    | 'masqueradeAll'
    | 'masqueradeBit'
    | 'detectLocalMode'
    | 'detectLocalInterface'
    | 'clusterCIDRs'
    | 'nodePodCIDRs'
  >;
  lbNoNodeAccess: LbNoNodeAccess[];
  /** `MASQUERADE --random-fully` when the iptables binary supports it (true on current distributions). */
  randomFully?: boolean;
}

const BUILTIN: Record<'nat' | 'filter', string[]> = {
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};
const KUBE_CHAINS: Record<'nat' | 'filter', string[]> = {
  nat: ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'],
  filter: [
    'KUBE-FORWARD',
    'KUBE-NODE-PORT',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'KUBE-IPVS-FILTER',
    'KUBE-IPVS-OUT-FILTER',
  ],
};

/** The hook jumps as they end up after kube-proxy prepends them one by one (the last prepended is first). */
const HOOK_JUMPS: Array<{ table: 'nat' | 'filter'; chain: string; comment: string; to: string }> = [
  { table: 'nat', chain: 'PREROUTING', comment: 'kubernetes service portals', to: 'KUBE-SERVICES' },
  { table: 'nat', chain: 'OUTPUT', comment: 'kubernetes service portals', to: 'KUBE-SERVICES' },
  { table: 'nat', chain: 'POSTROUTING', comment: 'kubernetes postrouting rules', to: 'KUBE-POSTROUTING' },
  { table: 'filter', chain: 'INPUT', comment: 'kubernetes ipvs access filter', to: 'KUBE-IPVS-FILTER' },
  { table: 'filter', chain: 'INPUT', comment: 'kube-proxy firewall rules', to: 'KUBE-PROXY-FIREWALL' },
  { table: 'filter', chain: 'INPUT', comment: 'kubernetes health check rules', to: 'KUBE-NODE-PORT' },
  { table: 'filter', chain: 'FORWARD', comment: 'kube-proxy firewall rules', to: 'KUBE-PROXY-FIREWALL' },
  { table: 'filter', chain: 'FORWARD', comment: 'kubernetes forwarding rules', to: 'KUBE-FORWARD' },
  { table: 'filter', chain: 'OUTPUT', comment: 'kubernetes ipvs access filter', to: 'KUBE-IPVS-OUT-FILTER' },
];

/** The `-m set` rules driven by a set, in kube-proxy's order (written only when the set has members). */
const SET_RULES: Array<{
  set: KubeIpsetKey;
  table: 'nat' | 'filter';
  from: string;
  to: string;
  dir: string;
  proto?: string;
}> = [
  { set: 'loopBack', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', dir: 'dst,dst,src' },
  { set: 'loadBalancer', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', dir: 'dst,dst' },
  { set: 'loadBalancerLocal', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', dir: 'dst,dst' },
  { set: 'nodePortLocalTCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', dir: 'dst', proto: 'tcp' },
  {
    set: 'nodePortTCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    dir: 'dst',
    proto: 'tcp',
  },
  { set: 'nodePortLocalUDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', dir: 'dst', proto: 'udp' },
  {
    set: 'nodePortUDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    dir: 'dst',
    proto: 'udp',
  },
  {
    set: 'nodePortLocalSCTP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    dir: 'dst,dst',
    proto: 'sctp',
  },
  {
    set: 'nodePortSCTP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    dir: 'dst,dst',
    proto: 'sctp',
  },
  {
    set: 'loadBalancerFW',
    table: 'filter',
    from: 'KUBE-PROXY-FIREWALL',
    to: 'KUBE-SOURCE-RANGES-FIREWALL',
    dir: 'dst,dst',
  },
  {
    set: 'loadBalancerSourceCIDR',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    dir: 'dst,dst,src',
  },
  {
    set: 'loadBalancerSourceIP',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    dir: 'dst,dst,src',
  },
];

/** The local-traffic detector's "not local" match, builtin form; null when there is none (§3.9). */
export function notLocalMatch(settings: IpvsIptablesInput['settings'], family: 4 | 6): string | null {
  const ofFamily = (cidrs: string[]): string | undefined =>
    cidrs.find((c) => parseCidr(c)?.family === family);
  switch (settings.detectLocalMode) {
    case 'ClusterCIDR': {
      const c = ofFamily(settings.clusterCIDRs);
      return c ? `! -s ${c}` : null;
    }
    case 'NodeCIDR': {
      const c = ofFamily(settings.nodePodCIDRs);
      return c ? `! -s ${c}` : null;
    }
    case 'BridgeInterface':
      return settings.detectLocalInterface ? `! -i ${settings.detectLocalInterface}` : null;
    case 'InterfaceNamePrefix':
      return settings.detectLocalInterface ? `! -i ${settings.detectLocalInterface}+` : null;
    default:
      return null;
  }
}

/** `iptables-save` text of kube-proxy's IPVS-mode companion rules (nat then filter). */
export function generateIpvsIptables(input: IpvsIptablesInput): string {
  const { members, family, settings } = input;
  const rules: Record<'nat' | 'filter', Map<string, string[]>> = { nat: new Map(), filter: new Map() };
  const add = (table: 'nat' | 'filter', chain: string, rest: string): void => {
    const list = rules[table].get(chain) ?? [];
    list.push(`-A ${chain} ${rest}`);
    rules[table].set(chain, list);
  };
  const setName = (key: KubeIpsetKey): string => kubeIpsetName(key, family);
  const comment = (key: KubeIpsetKey): string => `-m comment --comment "${KUBE_IPSETS[key].comment}"`;
  const has = (key: KubeIpsetKey): boolean => members[key].size > 0;
  const mark = `0x${(1 << settings.masqueradeBit).toString(16)}`;

  for (const j of HOOK_JUMPS) add(j.table, j.chain, `-m comment --comment "${j.comment}" -j ${j.to}`);

  add('nat', 'KUBE-SERVICES', `-s ${family === 4 ? '127.0.0.0/8' : '::1/128'} -j RETURN`);
  for (const r of SET_RULES) {
    if (!has(r.set)) continue;
    add(
      r.table,
      r.from,
      `${r.proto ? `-p ${r.proto} ` : ''}${comment(r.set)} -m set --match-set ${setName(r.set)} ${r.dir} -j ${r.to}`,
    );
  }
  if (has('clusterIP')) {
    const match = `${comment('clusterIP')} -m set --match-set ${setName('clusterIP')}`;
    const notLocal = notLocalMatch(settings, family);
    if (settings.masqueradeAll) add('nat', 'KUBE-SERVICES', `${match} dst,dst -j KUBE-MARK-MASQ`);
    else if (notLocal) add('nat', 'KUBE-SERVICES', `${notLocal} ${match} dst,dst -j KUBE-MARK-MASQ`);
    else add('nat', 'KUBE-SERVICES', `${match} src,dst -j KUBE-MARK-MASQ`);
  }
  const externalAccepts = (key: KubeIpsetKey): void => {
    const match = `${comment(key)} -m set --match-set ${setName(key)} dst,dst`;
    add(
      'nat',
      'KUBE-SERVICES',
      `${match} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`,
    );
    add('nat', 'KUBE-SERVICES', `${match} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (has('externalIP')) {
    add(
      'nat',
      'KUBE-SERVICES',
      `${comment('externalIP')} -m set --match-set ${setName('externalIP')} dst,dst -j KUBE-MARK-MASQ`,
    );
    externalAccepts('externalIP');
  }
  if (has('externalIPLocal')) externalAccepts('externalIPLocal');
  add('nat', 'KUBE-SERVICES', '-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  add('nat', 'KUBE-LOAD-BALANCER', '-j KUBE-MARK-MASQ');
  add('filter', 'KUBE-SOURCE-RANGES-FIREWALL', '-j DROP');
  for (const e of input.lbNoNodeAccess) {
    add(
      'filter',
      'KUBE-IPVS-OUT-FILTER',
      `-s ${hostCidr(e.ip, family)} -m ipvs --vaddr ${hostCidr(e.ip, family)} --vproto ${e.protocolNumber} --vport ${e.port} -j DROP`,
    );
  }
  for (const key of ['clusterIP', 'loadBalancer'] as const) {
    if (has(key)) add('nat', 'KUBE-SERVICES', `-m set --match-set ${setName(key)} dst,dst -j ACCEPT`);
  }
  add(
    'filter',
    'KUBE-FORWARD',
    `-m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`,
  );
  add(
    'filter',
    'KUBE-FORWARD',
    '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  );
  add(
    'filter',
    'KUBE-NODE-PORT',
    `${comment('healthCheckNodePort')} -m set --match-set ${setName('healthCheckNodePort')} dst -j ACCEPT`,
  );
  for (const key of ['loadBalancer', 'clusterIP', 'externalIP', 'externalIPLocal'] as const) {
    add('filter', 'KUBE-IPVS-FILTER', `-m set --match-set ${setName(key)} dst,dst -j RETURN`);
  }
  add('filter', 'KUBE-IPVS-FILTER', `-m set --match-set ${setName('healthCheckNodePort')} dst -j RETURN`);
  add(
    'filter',
    'KUBE-IPVS-FILTER',
    `-m conntrack --ctstate NEW -m set --match-set ${setName('ipvsIPs')} dst -j REJECT --reject-with ${family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'}`,
  );
  add('nat', 'KUBE-POSTROUTING', `-m mark ! --mark ${mark}/${mark} -j RETURN`);
  add('nat', 'KUBE-POSTROUTING', `-j MARK --set-xmark ${mark}/0x0`);
  add(
    'nat',
    'KUBE-POSTROUTING',
    `-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${input.randomFully === false ? '' : ' --random-fully'}`,
  );
  add('nat', 'KUBE-MARK-MASQ', `-j MARK --set-xmark ${mark}/${mark}`);

  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    out.push(`*${table}`);
    for (const c of BUILTIN[table]) out.push(`:${c} ACCEPT [0:0]`);
    const kube = [...KUBE_CHAINS[table]].sort();
    for (const c of kube) out.push(`:${c} - [0:0]`);
    for (const c of [...BUILTIN[table], ...kube]) out.push(...(rules[table].get(c) ?? []));
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}
