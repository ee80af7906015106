// Filtering and paging of the precomputed Service summaries.
import type { ServiceListDto, ServiceSummaryDto } from '@svcpath/core';
import { LRUCache } from 'lru-cache';
import type { ServiceIndex } from './service-summaries.js';
import { searchTerms } from './text-search.js';

export interface ServiceQuery {
  namespace?: string | undefined;
  q?: string | undefined;
  type?: ServiceSummaryDto['type'] | undefined;
  offset: number;
  limit: number;
}

export function queryServices(index: ServiceIndex, query: ServiceQuery): ServiceListDto {
  const terms = searchTerms(query.q);
  const filtered = query.namespace !== undefined || query.type !== undefined || terms.length > 0;
  if (!filtered) return page(index.summaries, query, index);
  // Paging through a result (the overview fetches page after page as it scrolls) and several
  // people asking the same question reuse the matches; a new index (a cluster change) starts afresh.
  const key = JSON.stringify([terms, query.namespace ?? null, query.type ?? null]);
  const cache = cacheOf(index);
  const cached = cache.get(key);
  if (cached) return page(cached, query, index);
  const matches = findMatches(index, terms, query);
  cache.set(key, matches);
  return page(matches, query, index);
}

const caches = new WeakMap<ServiceIndex, LRUCache<string, readonly ServiceSummaryDto[]>>();

function cacheOf(index: ServiceIndex): LRUCache<string, readonly ServiceSummaryDto[]> {
  let cache = caches.get(index);
  if (!cache) {
    cache = new LRUCache({ max: 64 });
    caches.set(index, cache);
  }
  return cache;
}

function findMatches(index: ServiceIndex, terms: string[], query: ServiceQuery): ServiceSummaryDto[] {
  // The summaries are sorted by namespace, then name: a namespace is one range, and the matches
  // come out in list order with no sort per request.
  const range = query.namespace === undefined ? undefined : index.namespaceRanges.get(query.namespace);
  if (query.namespace !== undefined && range === undefined) return [];
  const [from, to] = range ?? [0, index.summaries.length];
  const matches: ServiceSummaryDto[] = [];
  for (const i of index.search.matching(terms, from, to)) {
    const s = index.summaries[i];
    if (s && (query.type === undefined || s.type === query.type)) matches.push(s);
  }
  return matches;
}

function page(
  matches: readonly ServiceSummaryDto[],
  query: ServiceQuery,
  index: ServiceIndex,
): ServiceListDto {
  return {
    items: matches.slice(query.offset, query.offset + query.limit),
    total: matches.length,
    offset: query.offset,
    limit: query.limit,
    namespaces: index.namespaces,
  };
}
