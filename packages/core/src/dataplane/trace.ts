import { parseIp } from '../common/ip.js';
import type { IptablesRuleset } from '../iptables/types.js';
import { ipsetMatches } from '../ipvs/ipset-match.js';
import { ipvsLookup } from '../ipvs/lookup.js';
import { traceNftables } from '../nftables/trace.js';
import type { IpvsState } from '../ipvs/types.js';
import { traceIptables, type IptablesTraceOptions } from '../trace/iptables/trace.js';
import type { TraceNode, TracePacket, TraceResult } from '../trace/types.js';
import type { NodeDataplane } from './types.js';

const emptyRuleset = (family: 4 | 6): IptablesRuleset => ({
  kind: 'iptables',
  family,
  format: 'save',
  hasCounters: false,
  tables: new Map(),
  issues: [],
});

const localWithVirtual = new WeakMap<IpvsState, Map<string, string[]>>();

/**
 * The node's addresses plus every IPVS virtual address: kube-proxy binds them to kube-ipvs0, so
 * the kernel treats them as local. Kept per state and node, so the tracer's address index is reused.
 */
function withIpvsAddresses(state: IpvsState, nodeAddresses: readonly string[]): string[] {
  let byNode = localWithVirtual.get(state);
  if (!byNode) {
    byNode = new Map();
    localWithVirtual.set(state, byNode);
  }
  const key = nodeAddresses.join(',');
  let addresses = byNode.get(key);
  if (!addresses) {
    const virtual = state.services.flatMap((vs) => (vs.address ? [vs.address] : []));
    addresses = [...new Set([...nodeAddresses, ...virtual])];
    byNode.set(key, addresses);
  }
  return addresses;
}

/**
 * Traces a packet through whatever the node's dumps hold: nftables when kube-proxy's nft table is
 * there; otherwise iptables, then IPVS scheduling where an IPVS dump is present (`-m set` matches
 * use the ipset dump when there is one).
 */
export function traceDataplane(dp: NodeDataplane, packet: TracePacket, node: TraceNode): TraceResult {
  const family = parseIp(packet.dst)?.family ?? 4;
  // An nftables-mode node: `nft list ruleset` holds kube-proxy's table and any iptables-nft tables.
  if (dp.nft && (dp.nft.tables.some((t) => t.name === 'kube-proxy') || (!dp.iptables && !dp.ip6tables))) {
    return traceNftables(dp.nft, packet, node);
  }
  const rs = family === 6 ? (dp.ip6tables ?? dp.iptables) : (dp.iptables ?? dp.ip6tables);
  if (!rs && !dp.ipvs) {
    return {
      packet: { ...packet, startHook: 'PREROUTING' },
      outcomes: [],
      warnings: ['the node has no dump to trace through: give an iptables-save, nft or ipvsadm dump'],
    };
  }
  const options: IptablesTraceOptions = {};
  const ipset = dp.ipset;
  if (ipset) {
    options.ipset = (name, flags, w) =>
      ipsetMatches(ipset, name, flags, {
        src: w.src,
        dst: w.dst,
        proto: w.proto,
        dport: w.dport,
        sport: w.sport,
      });
  }
  let localAddresses = node.localAddresses;
  const ipvs = dp.ipvs;
  if (ipvs) {
    options.ipvs = (p) => {
      const hit = ipvsLookup(ipvs, {
        src: p.src,
        dst: p.dst,
        dport: p.dport,
        proto: p.proto as TracePacket['proto'],
      });
      if (!hit) return null;
      return {
        label: `${hit.vs.text}`,
        choices: hit.choices.map((c) => ({
          address: c.server.address,
          port: c.server.port,
          probability: c.probability,
        })),
        persistenceSeconds: hit.persistenceSeconds,
        explanation: hit.explanation,
      };
    };
    localAddresses = withIpvsAddresses(ipvs, localAddresses);
  }
  const result = traceIptables(rs ?? emptyRuleset(family), packet, { localAddresses }, options);
  if (!rs)
    result.warnings.unshift('no iptables dump for this node: netfilter rules were not traced, only IPVS');
  return result;
}
