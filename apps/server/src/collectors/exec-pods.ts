// Finding the kube-proxy pod of each node: by namespace and label (kube-system,
// k8s-app=kube-proxy unless configured), one per node through spec.nodeName.
import type { Pod } from '@svcpath/core';

export interface KubeProxyPod {
  node: string;
  pod: Pod;
  container: string;
}

/**
 * Parses an equality selector (`k8s-app=kube-proxy`, `a=b,c=d`); null when it is not one
 * (set-based selectors are not supported).
 */
export function parseEqualitySelector(selector: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of selector.split(',')) {
    const m = /^\s*([A-Za-z0-9._/-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!m?.[1]) return null;
    out[m[1]] = m[2] ?? '';
  }
  return out;
}

const matches = (pod: Pod, labels: Record<string, string>): boolean =>
  Object.entries(labels).every(([k, v]) => pod.metadata.labels?.[k] === v);

/** The container to exec into: the preferred name, one named kube-proxy, or the only one. */
export function kubeProxyContainer(pod: Pod, preferred?: string): string | null {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (preferred !== undefined) return names.includes(preferred) ? preferred : null;
  if (names.includes('kube-proxy')) return 'kube-proxy';
  return names.length === 1 ? (names[0] ?? null) : null;
}

// A pod being replaced may overlap its successor: prefer running, then not terminating, then newest.
const rank = (pod: Pod): [number, number, string] => [
  pod.status?.phase === 'Running' ? 0 : 1,
  pod.metadata.deletionTimestamp === undefined ? 0 : 1,
  pod.metadata.creationTimestamp ?? '',
];

function better(a: Pod, b: Pod): boolean {
  const [ra, rb] = [rank(a), rank(b)];
  if (ra[0] !== rb[0]) return ra[0] < rb[0];
  if (ra[1] !== rb[1]) return ra[1] < rb[1];
  return ra[2] > rb[2];
}

/** One kube-proxy pod per node, sorted by node name; pods without a node or container are skipped. */
export function kubeProxyPods(
  pods: readonly Pod[],
  namespace: string,
  labels: Record<string, string>,
  container?: string,
): KubeProxyPod[] {
  const byNode = new Map<string, KubeProxyPod>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || (pod.metadata.namespace ?? '') !== namespace || !matches(pod, labels)) continue;
    const name = kubeProxyContainer(pod, container);
    if (name === null) continue;
    const current = byNode.get(node);
    if (!current || better(pod, current.pod)) byNode.set(node, { node, pod, container: name });
  }
  return [...byNode.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}
