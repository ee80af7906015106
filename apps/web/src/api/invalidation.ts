import type { ChangeEventDto } from '@svcpath/core';
import type { InvalidateQueryFilters, QueryKey } from '@tanstack/react-query';
import { keys } from './queries.js';

export const CHANGE_EVENT_TYPES: ReadonlyArray<ChangeEventDto['type']> = [
  'services',
  'nodes',
  'dump',
  'status',
  'diagnostics',
];

const graphForNode = (node: string) => (key: QueryKey) =>
  key[0] === 'services' && key[1] === 'graph' && key[4] === node;

/**
 * Which cached queries a change event makes stale. Only those are refetched, so a change to
 * one Service does not reload every graph on screen.
 */
export function invalidationsFor(event: ChangeEventDto): InvalidateQueryFilters[] {
  switch (event.type) {
    case 'services':
      return [
        { queryKey: ['services', 'list'] },
        { queryKey: keys.service(event.namespace, event.name) },
        { queryKey: ['services', 'graph', event.namespace, event.name] },
      ];
    case 'nodes':
      return [{ queryKey: keys.nodes, exact: true }, { queryKey: keys.node(event.name) }];
    case 'dump':
      return [
        { queryKey: keys.nodes, exact: true },
        { queryKey: keys.node(event.node) },
        { queryKey: ['dumps', event.node, event.kind] },
        { predicate: (q) => graphForNode(event.node)(q.queryKey) },
      ];
    case 'status':
      return [{ queryKey: keys.status }];
    case 'diagnostics':
      // A Service's page lists the drift findings about it.
      return [{ queryKey: keys.diagnostics }, { queryKey: ['services', 'detail'] }];
  }
}

/** Parse one SSE message; null when it is not a change event this app knows. */
export function parseChangeEvent(type: string, data: string): ChangeEventDto | null {
  if (!(CHANGE_EVENT_TYPES as readonly string[]).includes(type)) return null;
  let body: unknown;
  try {
    body = data ? JSON.parse(data) : {};
  } catch {
    return null;
  }
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  switch (type) {
    case 'services': {
      const namespace = str('namespace');
      const name = str('name');
      return namespace !== null && name !== null ? { type, namespace, name } : null;
    }
    case 'nodes': {
      const name = str('name');
      return name !== null ? { type, name } : null;
    }
    case 'dump': {
      const node = str('node');
      const kind = str('kind');
      const kinds = ['iptables', 'ip6tables', 'nft', 'ipvs', 'ipset'] as const;
      const k = kinds.find((x) => x === kind);
      return node !== null && k !== undefined ? { type, node, kind: k } : null;
    }
    case 'status':
      return { type };
    case 'diagnostics':
      return { type };
    default:
      return null;
  }
}
