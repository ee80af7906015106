// The pods of one cluster state as sorted summaries with search texts, built once per state (the
// model replaces its cluster object on every change) so that searching 10,000+ pods as someone
// types is a scan of one joined string, not a walk over the API objects.
import type { ClusterState, Pod, PodDto, PodListDto } from '@svcpath/core';
import { byNamespaceThenName, namespaceRanges } from '../../../services/sorted-listing.js';
import { searchTerms, TextSearch } from '../../../services/text-search.js';

export interface PodIndex {
  /** Sorted by namespace, then name. */
  summaries: readonly PodDto[];
  /** Over `namespace/name`, the pod IPs and the node name, lower-case, in the same order. */
  search: TextSearch;
  /** Where each namespace's pods are in `summaries`: [first, end). */
  namespaceRanges: ReadonlyMap<string, readonly [number, number]>;
}

export interface PodQuery {
  q?: string | undefined;
  namespace?: string | undefined;
  node?: string | undefined;
  offset: number;
  limit: number;
}

const indexes = new WeakMap<ClusterState, PodIndex>();

/** The index of `cluster`, built on first use and kept as long as that state is. */
export function podIndexOf(cluster: ClusterState): PodIndex {
  let index = indexes.get(cluster);
  if (!index) {
    index = buildPodIndex(cluster.pods);
    indexes.set(cluster, index);
  }
  return index;
}

export function buildPodIndex(pods: readonly Pod[]): PodIndex {
  const summaries = pods.map(summarizePod).sort(byNamespaceThenName);
  const texts = summaries.map((p) =>
    [`${p.namespace}/${p.name}`, ...p.podIPs, p.node ?? ''].join(' ').toLowerCase(),
  );
  return { summaries, search: new TextSearch(texts), namespaceRanges: namespaceRanges(summaries) };
}

export function summarizePod(pod: Pod): PodDto {
  const status = pod.status ?? {};
  const listed = (status.podIPs ?? []).map((a) => a.ip).filter((ip) => ip !== '');
  // Older API servers (and some snapshots) only fill the singular field.
  const podIPs = listed.length > 0 ? [...new Set(listed)] : status.podIP ? [status.podIP] : [];
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    node: pod.spec?.nodeName || null,
    podIPs,
    hostNetwork: pod.spec?.hostNetwork === true,
    phase: status.phase || null,
    ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    labels: { ...pod.metadata.labels },
  };
}

/** One page of the pods matching every part of the query, in list order. */
export function queryPods(index: PodIndex, query: PodQuery): PodListDto {
  const terms = searchTerms(query.q);
  const [from, to] =
    query.namespace === undefined
      ? [0, index.summaries.length]
      : (index.namespaceRanges.get(query.namespace) ?? [0, 0]);
  const { offset, limit } = query;
  // The common first question (an empty box): a slice of the sorted list, nothing scanned.
  if (terms.length === 0 && query.node === undefined) {
    const start = Math.min(from + offset, to);
    return {
      items: index.summaries.slice(start, Math.min(start + limit, to)),
      total: to - from,
      offset,
      limit,
    };
  }
  const matches: PodDto[] = [];
  for (const i of index.search.matching(terms, from, to)) {
    const pod = index.summaries[i];
    if (pod && (query.node === undefined || pod.node === query.node)) matches.push(pod);
  }
  return { items: matches.slice(offset, offset + limit), total: matches.length, offset, limit };
}
