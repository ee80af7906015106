// kube-proxy's nftables ruleset (newest design, KUBE-PROXY.md §4.1–4.8) for a set of Services
// and EndpointSlices, as the `nft -f` transaction kube-proxy sends or as `nft list ruleset` text.
import { issue, type ParseIssue } from '../common/issues.js';
import { categorizeEndpoints } from '../endpoints/categorize.js';
import { proxyInputIssues } from '../endpoints/input-issues.js';
import { servicePortsFor } from '../endpoints/service-ports.js';
import type { ProxyEndpoint, ProxyServicePort } from '../endpoints/types.js';
import { formatCidr, hostCidr, joinHostPort } from '../common/ip.js';
import {
  canonicalCIDRsSloppy,
  cidrContainsSloppy,
  ipFamilySloppy,
  parseCIDRSloppy,
} from '../common/ip-sloppy.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import { nftEndpointNameBase, nftServicePortNameBase, truncateNftComment } from '../naming/nftables-names.js';
import { parseNftText } from './parse-text.js';
import { renderStatements, serializeNftRuleset } from './render.js';

export interface GenerateNftablesOptions {
  family: 4 | 6;
  /** `transaction`: kube-proxy's `nft -f` text; `ruleset`: `nft list ruleset` style text (also loadable). */
  format: 'transaction' | 'ruleset';
  /**
   * Service chains kube-proxy has flushed but not yet deleted (stale for less than 1 s, §4.9);
   * they are written as empty chains.
   */
  staleChains?: readonly string[];
}

export interface GenerateNftablesResult {
  text: string;
  issues: ParseIssue[];
}

const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

/** Collects the transaction in an order `nft -f` accepts: objects, then elements, then rules. */
class Transaction {
  readonly head: string[] = [];
  readonly sets: string[] = [];
  readonly chains: string[] = [];
  readonly elements: string[] = [];
  readonly rules: string[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly prefix: string) {}

  table(spec: string): void {
    this.head.push(`add table ${this.prefix} ${spec}`);
  }
  set(kind: 'set' | 'map' | 'counter', name: string, spec = ''): void {
    this.sets.push(`add ${kind} ${this.prefix} ${name}${spec === '' ? '' : ` ${spec}`}`);
  }
  chain(name: string, spec = ''): void {
    this.chains.push(`add chain ${this.prefix} ${name}${spec === '' ? '' : ` ${spec}`}`);
  }
  rule(chain: string, text: string): void {
    this.rules.push(`add rule ${this.prefix} ${chain} ${text}`);
  }
  element(set: string, text: string): void {
    const line = `add element ${this.prefix} ${set} { ${text} }`;
    if (this.seen.has(line)) return;
    this.seen.add(line);
    this.elements.push(line);
  }
  text(): string {
    return [...this.head, ...this.sets, ...this.chains, ...this.elements, ...this.rules].join('\n') + '\n';
  }
}

const quote = (s: string): string => `"${s}"`;

/** The local-traffic detector as nft match fragments (`ifLocal`, `ifNotLocal`), or null when there is none. */
function localDetector(
  settings: ProxySettings,
  ipx: string,
  family: 4 | 6,
): { ifLocal: string; ifNotLocal: string } | null {
  const ofFamily = (cidrs: readonly string[]): string | undefined =>
    canonicalCIDRsSloppy(
      cidrs.map((c) => c.trim()),
      family,
    )[0];
  switch (settings.detectLocalMode) {
    case 'ClusterCIDR':
    case 'NodeCIDR': {
      const cidr = ofFamily(
        settings.detectLocalMode === 'ClusterCIDR' ? settings.clusterCIDRs : settings.nodePodCIDRs,
      );
      return cidr === undefined
        ? null
        : { ifLocal: `${ipx} saddr ${cidr}`, ifNotLocal: `${ipx} saddr != ${cidr}` };
    }
    case 'BridgeInterface': {
      const i = settings.detectLocalInterface ?? '';
      return i === '' ? null : { ifLocal: `iifname ${quote(i)}`, ifNotLocal: `iifname != ${quote(i)}` };
    }
    case 'InterfaceNamePrefix': {
      const i = settings.detectLocalInterface ?? '';
      return i === ''
        ? null
        : { ifLocal: `iifname ${quote(`${i}*`)}`, ifNotLocal: `iifname != ${quote(`${i}*`)}` };
    }
    default:
      return null;
  }
}

interface NodePortAddresses {
  matchAll: boolean;
  /** Node IPs that accept NodePorts (loopback excluded). */
  ips: string[];
  /** A loopback address is listed: kube-proxy's userspace proxy serves TCP localhost NodePorts. */
  includesLoopback: boolean;
}

function nodePortAddresses(settings: ProxySettings, family: 4 | 6, issues: ParseIssue[]): NodePortAddresses {
  const nodeIPs = settings.nodeIPs.filter((ip) => ipFamilySloppy(ip) === family);
  const loopback = family === 4 ? '127.0.0.1' : '::1';
  const cidrs: string[] = [];
  for (const a of settings.nodePortAddresses) {
    if (a === 'primary') {
      const p = nodeIPs[0];
      if (p !== undefined) cidrs.push(hostCidr(p, family));
      continue;
    }
    const c = parseCIDRSloppy(a.trim());
    if (c === null)
      issues.push(issue('warning', null, `nodePortAddresses entry "${a}" is not a CIDR; ignored`));
    else if (c.family === family) cidrs.push(formatCidr(c));
  }
  if (cidrs.length === 0) return { matchAll: true, ips: [], includesLoopback: false };
  const isLoopback = (ip: string): boolean =>
    family === 4 ? cidrContainsSloppy('127.0.0.0/8', ip) : ip === '::1';
  return {
    matchAll: false,
    ips: nodeIPs.filter((ip) => !isLoopback(ip) && cidrs.some((c) => cidrContainsSloppy(c, ip))),
    includesLoopback: cidrs.some((c) => cidrContainsSloppy(c, loopback)),
  };
}

/** Generates kube-proxy's nftables table for one IP family. */
export function generateNftables(
  input: { services: readonly Service[]; endpointSlices: readonly EndpointSlice[] },
  settings: ProxySettings,
  opts: GenerateNftablesOptions,
): GenerateNftablesResult {
  const family = opts.family;
  const issues: ParseIssue[] = proxyInputIssues(input.services, input.endpointSlices, family);
  if (!settings.nodeIPs.some((ip) => ipFamilySloppy(ip) === family)) {
    issues.push(
      issue(
        'warning',
        null,
        `no IPv${family} node IP: nodeport-ips stays empty and firewall chains do not allow VIPs for node traffic`,
      ),
    );
  }
  const fam = family === 4 ? 'ip' : 'ip6';
  const ipx = fam;
  const addrType = family === 4 ? 'ipv4_addr' : 'ipv6_addr';
  const loopbackNet = family === 4 ? '127.0.0.0/8' : '::1';
  const mark = `0x${(1 << settings.masqueradeBit).toString(16)}`;
  const tx = new Transaction(`${fam} kube-proxy`);
  const npa = nodePortAddresses(settings, family, issues);
  const detector = localDetector(settings, ipx, family);
  const localhostFeature =
    settings.featureGates['KubeProxyNFTablesLocalhostNodePorts'] ?? settings.localhostNodePorts;
  const rejectProtocols = PROTOCOLS.filter((p) => !(p === 'tcp' && npa.includesLoopback));

  // §4.1–4.3: table, sets, maps, base chains and static rules.
  tx.table(`{ comment ${quote('rules for kube-proxy')} ; }`);
  tx.set('set', 'cluster-ips', `{ type ${addrType} ; comment ${quote('Active ClusterIPs')} ; }`);
  if (!npa.matchAll)
    tx.set(
      'set',
      'nodeport-ips',
      `{ type ${addrType} ; comment ${quote('IPs that accept NodePort traffic')} ; }`,
    );
  tx.set(
    'set',
    'hairpin-connections',
    `{ type ${addrType} . ${addrType} . inet_proto . inet_service ; comment ${quote('service hairpin connections')} ; }`,
  );
  const vmapSpec = (key: string, comment: string): string =>
    `{ type ${key} : verdict ; comment ${quote(comment)} ; }`;
  const tuple = `${addrType} . inet_proto . inet_service`;
  tx.set('map', 'firewall-ips', vmapSpec(tuple, 'destinations that are subject to LoadBalancerSourceRanges'));
  tx.set(
    'map',
    'no-endpoint-nodeports',
    vmapSpec(
      'inet_proto . inet_service',
      'vmap to drop or reject packets to service nodeports with no endpoints',
    ),
  );
  tx.set(
    'map',
    'no-endpoint-services',
    vmapSpec(tuple, 'vmap to drop or reject packets to services with no endpoints'),
  );
  tx.set('map', 'service-ips', vmapSpec(tuple, 'ClusterIP, ExternalIP and LoadBalancer IP traffic'));
  tx.set('map', 'service-nodeports', vmapSpec('inet_proto . inet_service', 'NodePort traffic'));

  const base = (name: string, type: string, hook: string, prio: number): void =>
    tx.chain(name, `{ type ${type} hook ${hook} priority ${prio} ; }`);
  tx.chain('cluster-ips-check');
  base('filter-prerouting-pre-dnat', 'filter', 'prerouting', -110);
  base('filter-output-pre-dnat', 'filter', 'output', -110);
  base('filter-forward', 'filter', 'forward', 0);
  base('filter-input', 'filter', 'input', 0);
  base('filter-output', 'filter', 'output', 0);
  tx.chain('firewall-check');
  tx.chain('masquerading');
  base('nat-output', 'nat', 'output', -100);
  base('nat-postrouting', 'nat', 'postrouting', 100);
  base('nat-prerouting', 'nat', 'prerouting', -100);
  tx.chain('nodeport-endpoints-check');
  tx.chain(
    'reject-chain',
    `{ comment ${quote('helper for @no-endpoint-services / @no-endpoint-nodeports')} ; }`,
  );
  tx.chain('services');
  tx.chain('service-endpoints-check');

  const serviceCIDRs = canonicalCIDRsSloppy(
    settings.serviceCIDRs.map((c) => c.trim()),
    family,
  );
  tx.rule(
    'cluster-ips-check',
    `${ipx} daddr @cluster-ips reject comment ${quote('Reject traffic to invalid ports of ClusterIPs')}`,
  );
  if (serviceCIDRs.length > 0)
    tx.rule(
      'cluster-ips-check',
      `${ipx} daddr { ${serviceCIDRs.join(', ')} } drop comment ${quote('Drop traffic to unallocated ClusterIPs')}`,
    );
  tx.rule('filter-prerouting-pre-dnat', 'ct state new jump firewall-check');
  tx.rule('filter-forward', 'ct state new jump service-endpoints-check');
  tx.rule('filter-forward', 'ct state new jump cluster-ips-check');
  tx.rule('filter-input', 'ct state new jump nodeport-endpoints-check');
  tx.rule('filter-input', 'ct state new jump service-endpoints-check');
  tx.rule('filter-output', 'ct state new jump service-endpoints-check');
  tx.rule('filter-output-pre-dnat', 'ct state new jump firewall-check');
  tx.rule('filter-output', 'ct state new jump cluster-ips-check');
  tx.rule('firewall-check', `${ipx} daddr . meta l4proto . th dport vmap @firewall-ips`);
  tx.rule('masquerading', `mark and ${mark} != 0 mark set mark xor ${mark} masquerade fully-random`);
  tx.rule(
    'masquerading',
    `ct status dnat ${ipx} saddr . ${ipx} daddr . meta l4proto . th dport @hairpin-connections masquerade fully-random`,
  );
  tx.rule('nat-output', 'jump services');
  tx.rule('nat-postrouting', 'jump masquerading');
  tx.rule('nat-prerouting', 'jump services');
  if (npa.matchAll)
    tx.rule(
      'nodeport-endpoints-check',
      `${ipx} daddr != ${loopbackNet} meta l4proto . th dport vmap @no-endpoint-nodeports`,
    );
  else
    tx.rule(
      'nodeport-endpoints-check',
      `${ipx} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports`,
    );
  tx.rule('reject-chain', 'reject');
  if (settings.masqueradeAll)
    tx.rule(
      'services',
      `${ipx} daddr @cluster-ips mark set mark or ${mark} comment ${quote('masquerade all clusterIP traffic')}`,
    );
  else if (detector !== null)
    tx.rule(
      'services',
      `${ipx} daddr @cluster-ips ${detector.ifNotLocal} mark set mark or ${mark} comment ${quote('masquerade clusterIP traffic from outside cluster')}`,
    );
  tx.rule('services', `${ipx} daddr . meta l4proto . th dport vmap @service-ips`);
  if (npa.matchAll)
    tx.rule(
      'services',
      `fib daddr type local ${ipx} daddr != ${loopbackNet} meta l4proto . th dport vmap @service-nodeports`,
    );
  else tx.rule('services', `${ipx} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports`);
  for (const ip of npa.ips) tx.element('nodeport-ips', ip);
  tx.rule('service-endpoints-check', `${ipx} daddr . meta l4proto . th dport vmap @no-endpoint-services`);

  if (localhostFeature) {
    tx.set(
      'map',
      'localhost-nodeport-reject-ports',
      vmapSpec('inet_proto . inet_service', 'localhost NodePorts rejected by kube-proxy'),
    );
    for (const p of rejectProtocols) {
      tx.set('counter', `localhost-nodeport-rejected-${p}`);
      tx.chain(`localhost-nodeport-reject-${p}`);
      tx.rule(
        `localhost-nodeport-reject-${p}`,
        `counter name ${quote(`localhost-nodeport-rejected-${p}`)} reject`,
      );
    }
    tx.rule(
      'nodeport-endpoints-check',
      `${ipx} daddr ${loopbackNet} meta l4proto . th dport vmap @localhost-nodeport-reject-ports`,
    );
  }

  // §4.5–4.7: per service port.
  const primaryNodeIP = settings.nodeIPs.find((ip) => ipFamilySloppy(ip) === family);
  for (const sp of servicePortsFor(input.services, input.endpointSlices, settings, family)) {
    servicePort(sp);
  }

  function servicePort(sp: ProxyServicePort): void {
    const cat = categorizeEndpoints(sp, settings.nodeName, settings.zone, settings.featureGates);
    const proto = sp.protocol.toLowerCase();
    const h = nftServicePortNameBase(sp.namespace, sp.serviceName, proto, sp.portName);
    const clusterChain = `service-${h}`;
    const localChain = `local-${h}`;
    const externalChain = `external-${h}`;
    const firewallChain = `firewall-${h}`;
    const internalPolicyChain = sp.internalPolicyLocal ? localChain : clusterChain;
    const externalPolicyChain = sp.externalPolicyLocal ? localChain : clusterChain;
    const usesFirewall = sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
    const comment = quote(truncateNftComment(sp.servicePortName));
    const noEndpointVerdict = (hasEndpoints: boolean): string =>
      hasEndpoints ? 'drop' : 'goto reject-chain';
    const key = (ip: string): string => `${ip} . ${proto} . ${sp.port}`;

    tx.element('cluster-ips', sp.clusterIP);
    if (cat.hasInternalEndpoints)
      tx.element('service-ips', `${key(sp.clusterIP)} : goto ${internalPolicyChain}`);
    else
      tx.element(
        'no-endpoint-services',
        `${key(sp.clusterIP)} comment ${comment} : ${noEndpointVerdict(cat.hasEndpoints)}`,
      );
    for (const ip of [...sp.externalIPs, ...sp.loadBalancerVIPs]) {
      if (cat.hasEndpoints) tx.element('service-ips', `${key(ip)} : goto ${externalChain}`);
      if (!cat.hasExternalEndpoints)
        tx.element(
          'no-endpoint-services',
          `${key(ip)} comment ${comment} : ${noEndpointVerdict(cat.hasEndpoints)}`,
        );
    }
    if (usesFirewall)
      for (const ip of sp.loadBalancerVIPs) tx.element('firewall-ips', `${key(ip)} : goto ${firewallChain}`);
    if (sp.nodePort !== 0) {
      if (cat.hasEndpoints)
        tx.element('service-nodeports', `${proto} . ${sp.nodePort} : goto ${externalChain}`);
      if (!cat.hasExternalEndpoints)
        tx.element(
          'no-endpoint-nodeports',
          `${proto} . ${sp.nodePort} comment ${comment} : ${noEndpointVerdict(cat.hasEndpoints)}`,
        );
      if (localhostFeature && (rejectProtocols as readonly string[]).includes(proto)) {
        tx.element(
          'localhost-nodeport-reject-ports',
          `${proto} . ${sp.nodePort} : goto localhost-nodeport-reject-${proto}`,
        );
      }
    }

    const affinity = sp.stickyMaxAgeSeconds > 0;
    const epName = (ep: ProxyEndpoint): string =>
      nftEndpointNameBase(sp.namespace, sp.serviceName, proto, sp.portName, ep.endpoint);
    const selection = (chain: string, eps: readonly ProxyEndpoint[]): void => {
      tx.chain(chain);
      if (affinity) {
        for (const ep of eps)
          tx.rule(chain, `${ipx} saddr @affinity-${epName(ep)} goto endpoint-${epName(ep)}`);
        tx.rule(
          chain,
          `numgen random mod ${eps.length} vmap { ${eps.map((ep, i) => `${i} : goto endpoint-${epName(ep)}`).join(' , ')} }`,
        );
      } else if (eps.length === 1 && eps[0] !== undefined) {
        tx.rule(chain, `meta l4proto ${proto} dnat ${ipx} addr . port to ${eps[0].ip} . ${eps[0].port}`);
      } else {
        tx.rule(
          chain,
          `meta l4proto ${proto} dnat ${ipx} addr . port to numgen random mod ${eps.length} map { ${eps.map((ep, i) => `${i} : ${ep.ip} . ${ep.port}`).join(' , ')} }`,
        );
      }
    };
    if (cat.clusterChainUsed) selection(clusterChain, cat.clusterEndpoints);
    if (cat.localChainUsed) selection(localChain, cat.localEndpoints);

    if (cat.hasEndpoints && sp.externallyAccessible) {
      tx.chain(externalChain);
      if (!sp.externalPolicyLocal) {
        tx.rule(externalChain, `mark set mark or ${mark} comment ${quote('masquerade')}`);
        tx.rule(externalChain, `goto ${externalPolicyChain}`);
      } else {
        if (detector !== null)
          tx.rule(
            externalChain,
            `${detector.ifLocal} goto ${clusterChain} comment ${quote('short-circuit pod traffic')}`,
          );
        tx.rule(
          externalChain,
          `fib saddr type local mark set mark or ${mark} comment ${quote('masquerade local traffic')}`,
        );
        tx.rule(
          externalChain,
          `fib saddr type local goto ${clusterChain} comment ${quote('short-circuit local traffic')}`,
        );
        if (cat.localChainUsed) tx.rule(externalChain, `goto ${externalPolicyChain}`);
      }
    }

    if (usesFirewall) {
      const allowed = [...sp.loadBalancerSourceRanges];
      if (
        primaryNodeIP !== undefined &&
        sp.loadBalancerSourceRanges.some((c) => cidrContainsSloppy(c, primaryNodeIP))
      )
        allowed.push(...sp.loadBalancerVIPs);
      tx.chain(firewallChain);
      tx.rule(firewallChain, `${ipx} saddr != { ${allowed.join(' , ')} } drop`);
    }

    if (affinity) {
      for (const ep of cat.allReachable) {
        const n = epName(ep);
        tx.set(
          'set',
          `affinity-${n}`,
          `{ type ${addrType} ; flags dynamic,timeout ; timeout ${sp.stickyMaxAgeSeconds}s ; }`,
        );
        tx.chain(`endpoint-${n}`);
        tx.rule(`endpoint-${n}`, `update @affinity-${n} { ${ipx} saddr }`);
        tx.rule(`endpoint-${n}`, `meta l4proto ${proto} dnat to ${joinHostPort(ep.ip, ep.port)}`);
      }
    }
    for (const ep of cat.allReachable)
      if (ep.isLocal) tx.element('hairpin-connections', `${ep.ip} . ${ep.ip} . ${proto} . ${ep.port}`);
  }

  const written = new Set(tx.chains.map((l) => l.split(' ')[4]));
  for (const c of opts.staleChains ?? []) if (!written.has(c)) tx.chain(c);

  const text = tx.text();
  if (opts.format === 'transaction') return { text, issues };
  const parsed = parseNftText(text);
  issues.push(...parsed.issues);
  // Rules in the spelling `nft list` uses (`meta mark set meta mark | 0x4000`, …).
  for (const t of parsed.tables)
    for (const c of t.chains.values()) for (const r of c.rules) r.text = renderStatements(r.statements);
  return { text: serializeNftRuleset(parsed), issues };
}

/**
 * kube-proxy's test normalisation of a transaction (`sortNFTablesTransaction`): blank and `#`
 * lines dropped, stable sort by object type, then object name; rules keep their order.
 */
export function sortNftTransaction(text: string): string {
  const order: Record<string, number> = { table: 0, chain: 1, rule: 2, set: 3, map: 4, element: 5 };
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const keyed = lines.map((line, i) => {
    const w = line.split(/\s+/);
    return { line, i, type: order[w[1] ?? ''] ?? 6, name: w[4] ?? '' };
  });
  keyed.sort((a, b) => {
    if (a.type !== b.type) return a.type - b.type;
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    if (a.type === 2) return a.i - b.i;
    return a.line < b.line ? -1 : a.line > b.line ? 1 : a.i - b.i;
  });
  return keyed.map((k) => k.line).join('\n');
}

/**
 * Rewrites the single-endpoint DNAT spellings kube-proxy versions used (`dnat to IP:PORT`,
 * `numgen random mod 1 map { 0 : IP . PORT }`) to `dnat ip addr . port to IP . PORT`, so that
 * texts from different versions compare equal.
 */
export function normalizeSingleEndpointDnat(line: string): string {
  const fam = /^add rule (ip6?) /.exec(line)?.[1] ?? 'ip';
  return line
    .replace(/dnat to \[([0-9a-fA-F:.]+)\]:(\d+)/, `dnat ${fam} addr . port to $1 . $2`)
    .replace(/dnat to (\d+\.\d+\.\d+\.\d+):(\d+)/, `dnat ${fam} addr . port to $1 . $2`)
    .replace(
      /dnat (ip6?) addr \. port to numgen random mod 1 map \{ 0 : (\S+) \. (\d+) \}/,
      'dnat $1 addr . port to $2 . $3',
    );
}
