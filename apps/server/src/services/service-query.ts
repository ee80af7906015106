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
  // The summaries are kept sorted, so the matches come out in order with no sort per request.
  index.summaries.forEach((s, i) => {
    if (query.namespace !== undefined && s.namespace !== query.namespace) return;
    if (query.type !== undefined && s.type !== query.type) return;
    const haystack = index.haystacks[i] ?? '';
    if (!terms.every((t) => haystack.includes(t))) return;
    matches.push(s);
  });
  return {
    items: matches.slice(query.offset, query.offset + query.limit),
    total: matches.length,
    offset: query.offset,
    limit: query.limit,
    namespaces: index.namespaces,
  };
}
