// The IPVS step of a trace: which virtual service takes the packet and where it can go.
import { parseIp } from '../common/ip.js';
import type { TracePacket } from '../trace/types.js';
import { scheduleIpvs, type ScheduleOptions } from './schedulers/index.js';
import type { IpvsState, RealServer, VirtualService } from './types.js';
import { virtualServiceKey } from './virtual-service.js';

export interface IpvsLookupResult {
  vs: VirtualService;
  /** `TCP 10.96.0.1:443`, as `ipvsadm -Ln` names the service: a label for trace steps. */
  key: string;
  choices: Array<{ server: RealServer; probability: number }>;
  explanation: string;
  /** Persistence timeout when the service is persistent (ClientIP affinity), else null. */
  persistenceSeconds: number | null;
  /** true when the scheduler's answer is exact for this packet (hash schedulers, least-connection snapshots). */
  deterministic: boolean;
}

/** Services keyed by `proto|address-value|port`, built once per state. */
const indexCache = new WeakMap<IpvsState, Map<string, VirtualService>>();

function serviceIndex(state: IpvsState): Map<string, VirtualService> {
  let index = indexCache.get(state);
  if (index) return index;
  index = new Map();
  for (const vs of state.services) {
    if (vs.protocol === null || vs.address === null || vs.port === null) continue;
    const ip = parseIp(vs.address);
    if (!ip) continue;
    const key = `${vs.protocol}|${ip.family}|${ip.value}|${vs.port}`;
    if (!index.has(key)) index.set(key, vs);
  }
  indexCache.set(state, index);
  return index;
}

/**
 * Finds the virtual service for the packet's protocol, destination and port (a port-0 persistent
 * service catches every port of its address) and asks its scheduler. IPVS sees the packet at
 * LOCAL_IN, after nat PREROUTING/OUTPUT, so `packet.dst` must be the address after any DNAT.
 * Firewall-mark services are not matched: the packet model carries no mark. null when no service matches.
 */
export function ipvsLookup(
  state: IpvsState,
  packet: TracePacket,
  opts: ScheduleOptions = {},
): IpvsLookupResult | null {
  const ip = parseIp(packet.dst);
  if (!ip) return null;
  const index = serviceIndex(state);
  const base = `${packet.proto}|${ip.family}|${ip.value}|`;
  const exact = index.get(`${base}${packet.dport}`);
  const allPorts = index.get(`${base}0`);
  const vs = exact ?? (allPorts && allPorts.persistenceTimeout !== null ? allPorts : undefined);
  if (!vs) return null;
  const sched = scheduleIpvs(
    vs,
    {
      src: packet.src,
      dst: packet.dst,
      dport: packet.dport,
      ...(packet.sport !== undefined ? { sport: packet.sport } : {}),
    },
    opts,
  );
  let explanation = sched.explanation;
  if (vs.persistenceTimeout !== null) {
    explanation += `. Persistent for ${vs.persistenceTimeout}s: the first connection from a client is scheduled as above, later ones from the same client${vs.netmask ? ` (grouped by mask ${vs.netmask})` : ''} within the timeout go to the same server`;
  }
  return {
    vs,
    key: virtualServiceKey(vs),
    choices: sched.choices,
    explanation,
    persistenceSeconds: vs.persistenceTimeout,
    deterministic: sched.deterministic,
  };
}
