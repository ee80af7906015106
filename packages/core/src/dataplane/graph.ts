import { buildIptablesGraph } from '../graph/build-iptables.js';
import type { GraphResult, ServiceGraph } from '../graph/types.js';
import { buildIpvsGraph } from '../ipvs/graph.js';
import { buildNftGraph } from '../nftables/graph.js';
import type { NodeDataplane } from './types.js';

export interface DataplaneGraphOptions {
  /** Only this Service (`ns/name`) or Service port (`ns/name:port`). */
  service?: string;
  /** IPVS: `10.96.0.1:443/tcp` → `default/kubernetes:https` (a bare ipvsadm dump has no names). */
  names?: Record<string, string>;
  /** The node's addresses (IPVS: virtual services on them are node ports). */
  nodeAddresses?: string[];
  /** nftables: addresses known to be load-balancer VIPs. */
  loadBalancerIPs?: string[];
}

/** `ns/name` matches every port of the Service; `ns/name:port` one port. */
function matchesService(g: ServiceGraph, service: string): boolean {
  return service.includes(':')
    ? g.service === service
    : g.service === service || g.service.startsWith(`${service}:`);
}

/**
 * The path graph of every Service port from a node's dumps, whatever the proxy mode: kube-proxy's
 * nftables table, IPVS virtual servers, or iptables chains.
 */
export function graphDataplane(dp: NodeDataplane, opts: DataplaneGraphOptions = {}): GraphResult {
  let result: GraphResult;
  if (dp.nft?.tables.some((t) => t.name === 'kube-proxy')) {
    result = buildNftGraph(dp.nft, opts.loadBalancerIPs ? { loadBalancerIPs: opts.loadBalancerIPs } : {});
  } else if (dp.ipvs) {
    result = buildIpvsGraph(dp.ipvs, {
      ...(opts.names ? { names: opts.names } : {}),
      ...(opts.nodeAddresses ? { nodeAddresses: opts.nodeAddresses } : {}),
    });
  } else if (dp.iptables ?? dp.ip6tables) {
    const services: ServiceGraph[] = [];
    for (const rs of [dp.iptables, dp.ip6tables]) {
      if (rs)
        services.push(...buildIptablesGraph(rs, opts.service ? { service: opts.service } : {}).services);
    }
    result = { services };
  } else {
    result = { services: [] };
  }
  const { service } = opts;
  return service ? { services: result.services.filter((g) => matchesService(g, service)) } : result;
}
