// Rules kube-proxy writes on every sync regardless of Services (KUBE-PROXY.md §3.4).
import type { TableBuffer } from './generate-buffer.js';
import type { GenerateContext } from './generate-context.js';

export const FILTER_CHAINS = [
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-FORWARD',
  'KUBE-NODEPORTS',
  'KUBE-PROXY-FIREWALL',
  'KUBE-FIREWALL',
] as const;
export const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'] as const;

export function declareStaticChains(filter: TableBuffer, nat: TableBuffer): void {
  for (const c of FILTER_CHAINS) filter.chain(c);
  for (const c of NAT_CHAINS) nat.chain(c);
}

export function writeStaticRules(ctx: GenerateContext, filter: TableBuffer, nat: TableBuffer): void {
  const m = ctx.mark;
  if (!ctx.conntrackTCPLiberal) {
    filter.rule(
      'KUBE-FORWARD',
      '-m conntrack --ctstate INVALID',
      ctx.nfacct.ct_state_invalid_dropped_pkts
        ? ['-m nfacct --nfacct-name ct_state_invalid_dropped_pkts']
        : [],
      '-j DROP',
    );
  }
  filter.rule(
    'KUBE-FORWARD',
    '-m comment --comment "kubernetes forwarding rules"',
    `-m mark --mark ${m}/${m}`,
    '-j ACCEPT',
  );
  filter.rule(
    'KUBE-FORWARD',
    '-m comment --comment "kubernetes forwarding conntrack rule"',
    '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  );
  if (ctx.family === 4 && ctx.localhostNodePorts && ctx.nodePortsOnLoopback) {
    filter.rule(
      'KUBE-FIREWALL',
      '-m comment --comment "block incoming localnet connections"',
      '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    );
  }
  nat.rule('KUBE-POSTROUTING', `-m mark ! --mark ${m}/${m} -j RETURN`);
  nat.rule('KUBE-POSTROUTING', `-j MARK --xor-mark ${m}`);
  nat.rule(
    'KUBE-POSTROUTING',
    '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE',
    ctx.randomFully ? ['--random-fully'] : [],
  );
  nat.rule('KUBE-MARK-MASQ', `-j MARK --or-mark ${m}`);
}

const NODEPORTS_TAIL_COMMENT =
  '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';

/** The last rule(s) of nat KUBE-SERVICES, sending local-destination traffic to KUBE-NODEPORTS. */
export function writeNodePortsTail(ctx: GenerateContext, nat: TableBuffer): void {
  if (ctx.nodePortIPs === null) {
    const extra = ctx.family === 6 ? ['! -d ::1/128'] : ctx.localhostNodePorts ? [] : ['! -d 127.0.0.0/8'];
    nat.rule(
      'KUBE-SERVICES',
      NODEPORTS_TAIL_COMMENT,
      '-m addrtype --dst-type LOCAL',
      extra,
      '-j KUBE-NODEPORTS',
    );
    return;
  }
  for (const ip of ctx.nodePortIPs) {
    const loopback = ip === '::1' || ip.startsWith('127.');
    if (loopback && (ctx.family === 6 || !ctx.localhostNodePorts)) continue;
    nat.rule('KUBE-SERVICES', NODEPORTS_TAIL_COMMENT, `-d ${ip}`, '-j KUBE-NODEPORTS');
  }
}
