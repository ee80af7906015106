import type { ServiceSummaryDto } from '@svcpath/core';

/** The Services table's columns: how each is shown and how it sorts. */

export type SortKey =
  'namespace' | 'name' | 'type' | 'clusterIP' | 'ports' | 'endpoints' | 'affinity' | 'policy' | 'health';

export const portsText = (s: ServiceSummaryDto): string =>
  s.ports
    .map((p) => `${p.name ? `${p.name} ` : ''}${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`)
    .join(', ') || '—';

export const policyText = (s: ServiceSummaryDto): string =>
  `int ${s.internalTrafficPolicy}${s.externalTrafficPolicy ? ` · ext ${s.externalTrafficPolicy}` : ''}`;

export const clusterIpText = (s: ServiceSummaryDto): string =>
  s.type === 'ExternalName'
    ? `→ ${s.externalName ?? '?'}`
    : s.headless
      ? 'None (headless)'
      : (s.clusterIP ?? '—');

const HEALTH_RANK = { error: 0, warning: 1, ok: 2 } as const;

/** IPv4 addresses sort numerically; anything else as text after them. */
const ipKey = (ip: string | null): string => {
  if (!ip) return '~';
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m
    ? m
        .slice(1)
        .map((x) => x.padStart(3, '0'))
        .join('.')
    : `~${ip}`;
};

const keyOf: Record<SortKey, (s: ServiceSummaryDto) => string | number> = {
  namespace: (s) => s.namespace,
  name: (s) => s.name,
  type: (s) => s.type,
  clusterIP: (s) => ipKey(s.clusterIP),
  ports: (s) => s.ports[0]?.port ?? -1,
  endpoints: (s) => s.endpoints.ready * 1e6 + s.endpoints.total,
  affinity: (s) => s.sessionAffinity,
  policy: (s) => policyText(s),
  health: (s) => HEALTH_RANK[s.health],
};

export const SORT_KEYS = Object.keys(keyOf) as SortKey[];
export const isSortKey = (k: string | null): k is SortKey =>
  k !== null && (SORT_KEYS as string[]).includes(k);

/** A stable sort, ties broken by namespace/name so the order never flickers on refetch. */
export function sortServices(
  items: readonly ServiceSummaryDto[],
  key: SortKey,
  dir: 'asc' | 'desc',
): ServiceSummaryDto[] {
  const f = keyOf[key];
  const sign = dir === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...items].sort(
    (a, b) => sign * cmp(f(a), f(b)) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name),
  );
}
