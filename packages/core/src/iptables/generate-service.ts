// Rules for one service port, in kube-proxy's order (KUBE-PROXY.md §3.5–3.7).
import { categorizeEndpoints } from '../endpoints/categorize.js';
import type { CategorizedEndpoints, ProxyEndpoint, ProxyServicePort } from '../endpoints/types.js';
import { cidrContainsSloppy } from '../common/ip-sloppy.js';
import {
  cachedEndpointChainName as endpointChainName,
  cachedServicePortChainNames as servicePortChainNames,
} from './generate-chain-names.js';
import { iptablesProbability } from '../naming/probability.js';
import type { TableBuffer } from './generate-buffer.js';
import type { GenerateContext } from './generate-context.js';
import { kernelProbability, withPrefix } from './generate-save.js';

export interface ServicePortTarget {
  ctx: GenerateContext;
  filter: TableBuffer;
  nat: TableBuffer;
  nodeName: string;
  zone: string | undefined;
  featureGates: Record<string, boolean>;
  largeClusterMode: boolean;
}

const q = (s: string): string => `"${s}"`;

/**
 * The writers below give the iptables-save form of their most frequent rules directly, rather
 * than having it re-parsed from the restore form; only when every interpolated word stays one
 * word (no whitespace, quote or backslash) and the protocol match is an ordinary one, so that
 * the result is the same as the rewrite's (generate-save.ts).
 */
const PLAIN_WORD = /^[^\s"\\]+$/;
const SAVE_PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

function directSave(t: ServicePortTarget, sp: ProxyServicePort, spn: string, proto: string): boolean {
  return (
    t.nat.saveForms !== null &&
    SAVE_PROTOCOLS.has(proto) &&
    PLAIN_WORD.test(spn) &&
    typeof sp.port === 'number' &&
    typeof sp.stickyMaxAgeSeconds === 'number'
  );
}

/** The save form of the local detector's `ifNotLocal` when it is a source CIDR, else undefined. */
function notLocalSourceSave(ctx: GenerateContext): string | undefined {
  const w = ctx.detector?.ifNotLocal;
  if (w?.length !== 3 || w[0] !== '!' || w[1] !== '-s') return undefined;
  const cidr = w[2] ?? '';
  return PLAIN_WORD.test(cidr) ? `! -s ${withPrefix(cidr, ctx.family)}` : undefined;
}

const recentMask = (family: 4 | 6): string =>
  family === 4 ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

export function writeServicePort(t: ServicePortTarget, sp: ProxyServicePort): CategorizedEndpoints {
  const { ctx, filter, nat } = t;
  const cat = categorizeEndpoints(sp, t.nodeName, t.zone, t.featureGates);
  const spn = sp.servicePortName;
  const proto = sp.protocol.toLowerCase();
  const names = servicePortChainNames(spn, proto);
  const direct = directSave(t, sp, spn, proto);
  const internalChain = sp.internalPolicyLocal ? names.svl : names.svc;
  const externalPolicyChain = sp.externalPolicyLocal ? names.svl : names.svc;
  const usesExt = cat.hasEndpoints && sp.externallyAccessible;
  const usesFW = cat.hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const extChain = names.ext;
  const lbTarget = usesFW ? names.fw : extChain;
  const matchPort = (ip: string, port: number) => [`-m ${proto} -p ${proto}`, `-d ${ip}`, `--dport ${port}`];
  // The cluster-IP match as iptables-save prints it, shared by the KUBE-SERVICES jump and the masquerade rule.
  const clusterIPSave = direct
    ? [
        '-d',
        withPrefix(sp.clusterIP, ctx.family),
        '-p',
        proto,
        '-m comment --comment',
        `"${spn} cluster IP"`,
        '-m',
        proto,
        '--dport',
        `${sp.port}`,
      ]
    : [];
  // Filter verdicts for traffic nat cannot serve: REJECT when no endpoint exists anywhere, DROP
  // when endpoints exist but the policy needs a local one.
  const noEndpoints = `-m comment --comment ${q(`${spn} has no ${cat.hasEndpoints ? 'local ' : ''}endpoints`)}`;
  const noEndpointsVerdict = cat.hasEndpoints ? '-j DROP' : '-j REJECT';

  if (cat.clusterChainUsed) nat.chain(names.svc);
  if (cat.localChainUsed) nat.chain(names.svl);
  if (usesExt) nat.chain(extChain);
  if (usesFW) nat.chain(names.fw);

  // 1. Cluster IP
  if (cat.hasInternalEndpoints) {
    nat.ruleWithSaveForm(
      direct ? ['-A KUBE-SERVICES', ...clusterIPSave, '-j', internalChain] : undefined,
      'KUBE-SERVICES',
      `-m comment --comment ${q(`${spn} cluster IP`)}`,
      matchPort(sp.clusterIP, sp.port),
      `-j ${internalChain}`,
    );
  } else {
    filter.rule('KUBE-SERVICES', noEndpoints, matchPort(sp.clusterIP, sp.port), noEndpointsVerdict);
  }
  // 2. External IPs
  for (const eip of sp.externalIPs) {
    if (cat.hasEndpoints) {
      nat.rule(
        'KUBE-SERVICES',
        `-m comment --comment ${q(`${spn} external IP`)}`,
        matchPort(eip, sp.port),
        `-j ${extChain}`,
      );
    }
    if (!cat.hasExternalEndpoints) {
      filter.rule('KUBE-EXTERNAL-SERVICES', noEndpoints, matchPort(eip, sp.port), noEndpointsVerdict);
    }
  }
  // 3. Load-balancer VIPs
  for (const lbip of sp.loadBalancerVIPs) {
    if (cat.hasEndpoints) {
      nat.rule(
        'KUBE-SERVICES',
        `-m comment --comment ${q(`${spn} loadbalancer IP`)}`,
        matchPort(lbip, sp.port),
        `-j ${lbTarget}`,
      );
    }
    if (usesFW) {
      filter.rule(
        'KUBE-PROXY-FIREWALL',
        `-m comment --comment ${q(`${spn} traffic not accepted by ${names.fw}`)}`,
        matchPort(lbip, sp.port),
        '-j DROP',
      );
    }
  }
  if (!cat.hasExternalEndpoints) {
    for (const lbip of sp.loadBalancerVIPs) {
      filter.rule('KUBE-EXTERNAL-SERVICES', noEndpoints, matchPort(lbip, sp.port), noEndpointsVerdict);
    }
  }
  // 4. NodePort
  if (sp.nodePort !== 0) {
    if (cat.hasEndpoints) {
      if (
        ctx.family === 4 &&
        ctx.localhostNodePorts &&
        ctx.nodePortsOnLoopback &&
        ctx.nfacct.localhost_nps_accepted_pkts
      ) {
        nat.rule(
          'KUBE-NODEPORTS',
          `-m comment --comment ${spn}`,
          `-m ${proto} -p ${proto} -d 127.0.0.0/8 --dport ${sp.nodePort}`,
          '-m nfacct --nfacct-name localhost_nps_accepted_pkts',
          `-j ${extChain}`,
        );
      }
      nat.rule(
        'KUBE-NODEPORTS',
        `-m comment --comment ${spn}`,
        `-m ${proto} -p ${proto} --dport ${sp.nodePort}`,
        `-j ${extChain}`,
      );
    }
    if (!cat.hasExternalEndpoints) {
      filter.rule(
        'KUBE-EXTERNAL-SERVICES',
        noEndpoints,
        '-m addrtype --dst-type LOCAL',
        `-m ${proto} -p ${proto} --dport ${sp.nodePort}`,
        noEndpointsVerdict,
      );
    }
  }
  // 5. Health-check node port
  if (sp.healthCheckNodePort !== 0) {
    filter.rule(
      'KUBE-NODEPORTS',
      `-m comment --comment ${q(`${spn} health check node port`)}`,
      `-m tcp -p tcp --dport ${sp.healthCheckNodePort}`,
      '-j ACCEPT',
    );
  }
  // 7. Cluster-IP masquerade, in the internal policy chain.
  if (cat.hasInternalEndpoints) {
    const args = [`-m comment --comment ${q(`${spn} cluster IP`)}`, ...matchPort(sp.clusterIP, sp.port)];
    if (ctx.masqueradeAll) nat.rule(internalChain, args, '-j KUBE-MARK-MASQ');
    else if (ctx.detector) {
      const notLocal = direct ? notLocalSourceSave(ctx) : undefined;
      nat.ruleWithSaveForm(
        notLocal !== undefined
          ? ['-A', internalChain, notLocal, ...clusterIPSave, '-j KUBE-MARK-MASQ']
          : undefined,
        internalChain,
        args,
        ctx.detector.ifNotLocal,
        '-j KUBE-MARK-MASQ',
      );
    }
  }
  // 8. External traffic chain
  if (usesExt) {
    if (!sp.externalPolicyLocal) {
      nat.rule(
        extChain,
        `-m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)}`,
        '-j KUBE-MARK-MASQ',
      );
    } else {
      if (ctx.detector) {
        nat.rule(
          extChain,
          `-m comment --comment ${q(`pod traffic for ${spn} external destinations`)}`,
          ctx.detector.ifLocal,
          `-j ${names.svc}`,
        );
      }
      nat.rule(
        extChain,
        `-m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)}`,
        '-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      );
      nat.rule(
        extChain,
        `-m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)}`,
        `-m addrtype --src-type LOCAL -j ${names.svc}`,
      );
    }
    if (cat.hasExternalEndpoints) nat.rule(extChain, `-j ${externalPolicyChain}`);
  }
  // 9. Firewall chain
  if (usesFW) {
    const comment = `-m comment --comment ${q(`${spn} loadbalancer IP`)}`;
    let allowFromNode = false;
    for (const cidr of sp.loadBalancerSourceRanges) {
      nat.rule(names.fw, comment, `-s ${cidr}`, `-j ${extChain}`);
      if (ctx.primaryNodeIP !== null && cidrContainsSloppy(cidr, ctx.primaryNodeIP)) allowFromNode = true;
    }
    if (allowFromNode)
      for (const lbip of sp.loadBalancerVIPs) nat.rule(names.fw, comment, `-s ${lbip}`, `-j ${extChain}`);
    nat.rule(
      names.fw,
      `-m comment --comment ${q(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)}`,
    );
  }
  // 10. Policy chains
  const sepNames = new Map(
    cat.allReachable.map((ep) => [ep.endpoint, endpointChainName(spn, proto, ep.endpoint)]),
  );
  const sepOf = (ep: ProxyEndpoint) =>
    sepNames.get(ep.endpoint) ?? endpointChainName(spn, proto, ep.endpoint);
  if (cat.clusterChainUsed) writeServiceToEndpoints(t, sp, names.svc, cat.clusterEndpoints, sepOf, direct);
  if (cat.localChainUsed) writeServiceToEndpoints(t, sp, names.svl, cat.localEndpoints, sepOf, direct);
  // 11. Endpoint chains
  for (const ep of cat.allReachable) writeEndpointChain(t, sp, ep, sepOf(ep), direct);
  return cat;
}

function writeServiceToEndpoints(
  t: ServicePortTarget,
  sp: ProxyServicePort,
  chain: string,
  eps: ProxyEndpoint[],
  sepOf: (ep: ProxyEndpoint) => string,
  direct: boolean,
): void {
  const spn = sp.servicePortName;
  const comment = (ep: ProxyEndpoint) =>
    t.largeClusterMode ? [] : [`-m comment --comment ${q(`${spn} -> ${ep.endpoint}`)}`];
  const commentSave = (ep: ProxyEndpoint) =>
    t.largeClusterMode ? [] : ['-m comment --comment', `"${spn} -> ${ep.endpoint}"`];
  if (sp.stickyMaxAgeSeconds > 0) {
    const mask = recentMask(t.ctx.family);
    for (const ep of eps) {
      const sep = sepOf(ep);
      t.nat.ruleWithSaveForm(
        direct && PLAIN_WORD.test(ep.endpoint)
          ? [
              '-A',
              chain,
              ...commentSave(ep),
              '-m recent --rcheck --seconds',
              `${sp.stickyMaxAgeSeconds}`,
              '--reap --name',
              sep,
              '--mask',
              mask,
              '--rsource -j',
              sep,
            ]
          : undefined,
        chain,
        comment(ep),
        `-m recent --name ${sep} --rcheck --seconds ${sp.stickyMaxAgeSeconds} --reap`,
        `-j ${sep}`,
      );
    }
  }
  eps.forEach((ep, i) => {
    const sep = sepOf(ep);
    const epDirect = direct && PLAIN_WORD.test(ep.endpoint);
    const remaining = eps.length - i;
    const p = remaining > 1 ? iptablesProbability(remaining) : undefined;
    const stat = p !== undefined ? [`-m statistic --mode random --probability ${p}`] : [];
    let save: string[] | undefined;
    if (epDirect) {
      save = ['-A', chain];
      if (!t.largeClusterMode) save.push('-m comment --comment', `"${spn} -> ${ep.endpoint}"`);
      if (p !== undefined) save.push('-m statistic --mode random --probability', kernelProbability(p));
      save.push('-j', sep);
    }
    t.nat.ruleWithSaveForm(save, chain, comment(ep), stat, `-j ${sep}`);
  });
}

function writeEndpointChain(
  t: ServicePortTarget,
  sp: ProxyServicePort,
  ep: ProxyEndpoint,
  sep: string,
  direct: boolean,
): void {
  const spn = sp.servicePortName;
  const proto = sp.protocol.toLowerCase();
  t.nat.chain(sep);
  const comment = t.largeClusterMode ? [] : [`-m comment --comment ${spn}`];
  const commentSave = `"${spn}"`;
  direct &&= PLAIN_WORD.test(ep.endpoint);
  let save: string[] | undefined;
  if (direct) {
    save = ['-A', sep, '-s', withPrefix(ep.ip, t.ctx.family)];
    if (!t.largeClusterMode) save.push('-m comment --comment', commentSave);
    save.push('-j KUBE-MARK-MASQ');
  }
  t.nat.ruleWithSaveForm(save, sep, comment, `-s ${ep.ip}`, '-j KUBE-MARK-MASQ');
  const sticky = sp.stickyMaxAgeSeconds > 0;
  const affinity = sticky ? [`-m recent --name ${sep} --set`] : [];
  if (direct) {
    save = ['-A', sep, '-p', proto];
    if (!t.largeClusterMode) save.push('-m comment --comment', commentSave);
    if (sticky) save.push('-m recent --set --name', sep, '--mask', recentMask(t.ctx.family), '--rsource');
    save.push('-m', proto, '-j DNAT --to-destination', ep.endpoint);
  }
  t.nat.ruleWithSaveForm(
    save,
    sep,
    comment,
    affinity,
    `-m ${proto} -p ${proto}`,
    `-j DNAT --to-destination ${ep.endpoint}`,
  );
}
