// kube-proxy names the Service port a rule belongs to in the rule's comment (KUBE-PROXY.md §3.3,
// §3.12). A dump has no cluster objects, so these comments are how the graph knows Services.

export type CommentRole =
  | 'clusterIP'
  | 'externalIP'
  | 'loadBalancer'
  | 'noEndpoints'
  | 'noLocalEndpoints'
  | 'healthCheck'
  | 'firewallDrop'
  | 'firewallMarker'
  | 'endpoint'
  | 'external'
  | 'plain'
  | 'other';

export interface KubeComment {
  /** `namespace/name:port` or `namespace/name` for an unnamed port. */
  spn: string;
  role: CommentRole;
  /** `IP:PORT` after ` -> ` in service-to-endpoint comments. */
  endpoint?: string;
}

/** Whether a word looks like a Service port name: `ns/name` or `ns/name:port` (not a CIDR). */
function isSpn(word: string): boolean {
  const slash = word.indexOf('/');
  if (slash <= 0 || slash === word.length - 1) return false;
  // Namespaces and Service names are DNS labels: no dots, so `10.0.0.0/8` is not one.
  return !word.slice(0, slash).includes('.') && !word.includes('/', slash + 1);
}

/** Reads a kube-proxy comment; null when it names no Service port. */
export function readKubeComment(comment: string | null): KubeComment | null {
  if (comment === null) return null;
  const space = comment.indexOf(' ');
  const first = space < 0 ? comment : comment.slice(0, space);
  if (isSpn(first)) {
    const rest = comment.slice(first.length);
    if (rest === '') return { spn: first, role: 'plain' };
    if (rest === ' cluster IP') return { spn: first, role: 'clusterIP' };
    if (rest === ' external IP') return { spn: first, role: 'externalIP' };
    if (rest === ' loadbalancer IP') return { spn: first, role: 'loadBalancer' };
    if (rest === ' has no endpoints') return { spn: first, role: 'noEndpoints' };
    if (rest === ' has no local endpoints') return { spn: first, role: 'noLocalEndpoints' };
    if (rest === ' health check node port') return { spn: first, role: 'healthCheck' };
    if (rest.startsWith(' traffic not accepted by ')) return { spn: first, role: 'firewallDrop' };
    if (rest.startsWith(' -> ')) return { spn: first, role: 'endpoint', endpoint: rest.slice(4).trim() };
    return { spn: first, role: 'other' };
  }
  const words = comment.split(' ');
  if (comment.startsWith('other traffic to ')) {
    const spn = words[3] ?? '';
    return isSpn(spn) ? { spn, role: 'firewallMarker' } : null;
  }
  // "masquerade traffic for <spn> external destinations", "pod traffic for …", "masquerade LOCAL
  // traffic for …", "route LOCAL traffic for …", old "… for <spn> LB IP", "Balancing rule 0 for <spn>".
  const forAt = words.indexOf('for');
  const spn = forAt >= 0 ? words[forAt + 1] : undefined;
  if (spn !== undefined && isSpn(spn)) return { spn, role: 'external' };
  const any = words.find(isSpn);
  return any === undefined ? null : { spn: any, role: 'other' };
}

export type ServiceChainKind = 'service' | 'local' | 'external' | 'firewall' | 'endpoint-chain';

const PREFIXES: readonly [string, ServiceChainKind][] = [
  ['KUBE-SVC-', 'service'],
  ['KUBE-SVL-', 'local'],
  ['KUBE-XLB-', 'local'],
  ['KUBE-EXT-', 'external'],
  ['KUBE-FW-', 'firewall'],
  ['KUBE-SEP-', 'endpoint-chain'],
];

/** The kind and hash of a kube-proxy per-service chain (`KUBE-SVC-<hash>` …), or null. */
export function serviceChain(name: string): { kind: ServiceChainKind; hash: string } | null {
  for (const [prefix, kind] of PREFIXES) {
    if (name.startsWith(prefix) && name.length > prefix.length)
      return { kind, hash: name.slice(prefix.length) };
  }
  return null;
}
