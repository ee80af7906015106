// Filtering and paging of the precomputed Service summaries.
import type { ServiceListDto, ServiceSummaryDto } from '@svcpath/core';
import type { ServiceIndex } from './service-summaries.js';

export interface ServiceQuery {
  namespace?: string | undefined;
  q?: string | undefined;
  type?: ServiceSummaryDto['type'] | undefined;
  offset: number;
  limit: number;
}

export function queryServices(index: ServiceIndex, query: ServiceQuery): ServiceListDto {
  const terms = (query.q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== '');
  const matches: ServiceSummaryDto[] = [];
  const filtered = query.namespace !== undefined || query.type !== undefined || terms.length > 0;
  if (!filtered) {
    return {
      items: index.summaries.slice(query.offset, query.offset + query.limit),
      total: index.summaries.length,
      offset: query.offset,
      limit: query.limit,
      namespaces: index.namespaces,
    };
  }
  for (const [, entry] of index.byKey) {
    const s = entry.summary;
    if (query.namespace !== undefined && s.namespace !== query.namespace) continue;
    if (query.type !== undefined && s.type !== query.type) continue;
    if (!terms.every((t) => entry.haystack.includes(t))) continue;
    matches.push(s);
  }
  matches.sort((a, b) =>
    a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1,
  );
  return {
    items: matches.slice(query.offset, query.offset + query.limit),
    total: matches.length,
    offset: query.offset,
    limit: query.limit,
    namespaces: index.namespaces,
  };
}
