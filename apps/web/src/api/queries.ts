import { queryOptions } from '@tanstack/react-query';
import type {
  DiagnosticsDto,
  DumpKind,
  NodeDto,
  ParsedDumpDto,
  PodListDto,
  ServiceDetailDto,
  ServiceGraphDto,
  ServiceListDto,
  SourceStatusDto,
} from '@svcpath/core';
import { apiFetch, apiPath, withQuery } from './client.js';

export type GraphView = 'actual' | 'expected';

export interface ServiceFilter {
  namespace: string;
  q: string;
  type: string;
}

/** One page of GET /api/pods: a search box asks for the first few matches, not every pod. */
export interface PodFilter {
  q: string;
  namespace?: string;
  node?: string;
  limit: number;
}

/** Query keys: one tree per resource so SSE events can invalidate just what changed. */
export const keys = {
  status: ['status'] as const,
  nodes: ['nodes'] as const,
  node: (name: string) => ['nodes', 'detail', name] as const,
  servicesAll: ['services'] as const,
  serviceList: (f: ServiceFilter) => ['services', 'list', f] as const,
  service: (ns: string, name: string) => ['services', 'detail', ns, name] as const,
  serviceGraph: (ns: string, name: string, node: string, view: GraphView) =>
    ['services', 'graph', ns, name, node, view] as const,
  dumps: (node: string) => ['dumps', node] as const,
  dumpText: (node: string, kind: DumpKind) => ['dumps', node, kind, 'text'] as const,
  dumpParsed: (node: string, kind: DumpKind) => ['dumps', node, kind, 'parsed'] as const,
  diagnostics: ['diagnostics'] as const,
  pods: (f: PodFilter) => ['pods', f] as const,
};

/** Large pages keep the number of requests small even for 10,000 Services. */
export const SERVICE_PAGE = 5000;

async function fetchAllServices(f: ServiceFilter, signal: AbortSignal): Promise<ServiceListDto> {
  const first = await apiFetch<ServiceListDto>(
    withQuery('/api/services', {
      namespace: f.namespace,
      q: f.q,
      type: f.type,
      offset: 0,
      limit: SERVICE_PAGE,
    }),
    { signal },
  );
  const items = [...first.items];
  while (items.length < first.total) {
    const page = await apiFetch<ServiceListDto>(
      withQuery('/api/services', {
        namespace: f.namespace,
        q: f.q,
        type: f.type,
        offset: items.length,
        limit: SERVICE_PAGE,
      }),
      { signal },
    );
    if (page.items.length === 0) break;
    items.push(...page.items);
  }
  return { ...first, items, offset: 0, limit: items.length };
}

export const queries = {
  status: () =>
    queryOptions({
      queryKey: keys.status,
      queryFn: ({ signal }) => apiFetch<SourceStatusDto>('/api/status', { signal }),
    }),
  nodes: () =>
    queryOptions({
      queryKey: keys.nodes,
      queryFn: async ({ signal }) => (await apiFetch<{ items: NodeDto[] }>('/api/nodes', { signal })).items,
    }),
  node: (name: string) =>
    queryOptions({
      queryKey: keys.node(name),
      queryFn: ({ signal }) => apiFetch<NodeDto>(apiPath('nodes', name), { signal }),
    }),
  services: (f: ServiceFilter) =>
    queryOptions({ queryKey: keys.serviceList(f), queryFn: ({ signal }) => fetchAllServices(f, signal) }),
  service: (ns: string, name: string) =>
    queryOptions({
      queryKey: keys.service(ns, name),
      queryFn: ({ signal }) => apiFetch<ServiceDetailDto>(apiPath('services', ns, name), { signal }),
    }),
  serviceGraph: (ns: string, name: string, node: string, view: GraphView) =>
    queryOptions({
      queryKey: keys.serviceGraph(ns, name, node, view),
      queryFn: ({ signal }) =>
        apiFetch<ServiceGraphDto>(withQuery(apiPath('services', ns, name, 'graph'), { node, view }), {
          signal,
        }),
    }),
  dumpText: (node: string, kind: DumpKind) =>
    queryOptions({
      queryKey: keys.dumpText(node, kind),
      queryFn: ({ signal }) =>
        apiFetch<string>(apiPath('nodes', node, 'dumps', kind), { signal, text: true }),
    }),
  dumpParsed: (node: string, kind: DumpKind) =>
    queryOptions({
      queryKey: keys.dumpParsed(node, kind),
      queryFn: ({ signal }) =>
        apiFetch<ParsedDumpDto>(apiPath('nodes', node, 'dumps', kind, 'parsed'), { signal }),
    }),
  diagnostics: () =>
    queryOptions({
      queryKey: keys.diagnostics,
      queryFn: ({ signal }) => apiFetch<DiagnosticsDto>('/api/diagnostics', { signal }),
    }),
  pods: (f: PodFilter) =>
    queryOptions({
      queryKey: keys.pods(f),
      queryFn: ({ signal }) =>
        apiFetch<PodListDto>(
          withQuery('/api/pods', { q: f.q.trim(), namespace: f.namespace, node: f.node, limit: f.limit }),
          { signal },
        ),
    }),
};
