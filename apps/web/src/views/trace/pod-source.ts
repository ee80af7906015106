import type { NodeDto, PodDto } from '@svcpath/core';

/** How a pod is named in the picker and matched: `namespace/name`. */
export const podKey = (p: Pick<PodDto, 'namespace' | 'name'>): string => `${p.namespace}/${p.name}`;

/** 6 for an IPv6 address, 4 for anything else typed (IPv4, or not yet an address). */
const familyOf = (ip: string): 4 | 6 => (ip.includes(':') ? 6 : 4);

/**
 * The pod address to trace from. A packet keeps its family through kube-proxy's rules, so a
 * dual-stack pod sends from its IPv4 address to an IPv4 destination and from its IPv6 one to an
 * IPv6 destination. The current source is kept when it is already the right one of the pod's.
 * Null when the pod has no address yet (pending).
 */
export function podSourceIp(pod: Pick<PodDto, 'podIPs'>, dst: string, current = ''): string | null {
  const wanted = dst.trim() === '' ? null : familyOf(dst.trim());
  if (pod.podIPs.includes(current) && (wanted === null || familyOf(current) === wanted)) return current;
  return pod.podIPs.find((ip) => wanted === null || familyOf(ip) === wanted) ?? pod.podIPs[0] ?? null;
}

/**
 * The pod a shared trace's source address belongs to, to name it in the form: the only pod that
 * holds exactly that address and may still send from it. hostNetwork pods share their node's
 * address, and a finished pod's address may already be someone else's, so neither is a match.
 */
export function podWithIp(pods: readonly PodDto[], ip: string): PodDto | null {
  const holders = pods.filter(
    (p) => p.podIPs.includes(ip) && !p.hostNetwork && p.phase !== 'Succeeded' && p.phase !== 'Failed',
  );
  return holders.length === 1 ? (holders[0] ?? null) : null;
}

/**
 * The node to offer as the trace's node: a pod's packets enter kube-proxy's rules on the node it
 * runs on (a hostNetwork pod's too, at OUTPUT, since its address is that node's). Null when the
 * trace already runs there or the node is not one the server knows.
 */
export function podNodeOffer(
  pod: Pick<PodDto, 'node'>,
  traceNode: string,
  nodes: readonly NodeDto[],
): string | null {
  if (pod.node === null || pod.node === traceNode) return null;
  return nodes.some((n) => n.name === pod.node) ? pod.node : null;
}
