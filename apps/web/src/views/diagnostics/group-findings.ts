import type { FindingDto } from '@svcpath/core';

export type GroupId = 'drift' | 'no-endpoints' | 'not-ready' | 'dumps' | 'other';

export interface FindingGroup {
  id: GroupId;
  title: string;
  /** For drift: one sub-list per node. */
  byNode: Array<{ node: string; findings: FindingDto[] }>;
  findings: FindingDto[];
}

const TITLES: Record<GroupId, string> = {
  drift: 'Drift between expected and actual, per node',
  'no-endpoints': 'Services without endpoints',
  'not-ready': 'Endpoints not ready',
  dumps: 'Stale or missing dumps',
  other: 'Other findings',
};

export function groupOf(f: FindingDto): GroupId {
  const c = f.code.toLowerCase();
  if (c.startsWith('drift')) return 'drift';
  if (c.includes('no-endpoint') || c.includes('no-ready-endpoint')) return 'no-endpoints';
  if (c.includes('not-ready') || c.includes('unready') || c.includes('terminating')) return 'not-ready';
  if (c.includes('dump') || c.includes('stale')) return 'dumps';
  return 'other';
}

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

/** Findings in fixed groups, worst first, so the page reads the same on every visit. */
export function groupFindings(findings: readonly FindingDto[]): FindingGroup[] {
  const order: GroupId[] = ['drift', 'no-endpoints', 'not-ready', 'dumps', 'other'];
  return order
    .map((id) => {
      const list = findings
        .filter((f) => groupOf(f) === id)
        .sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.message.localeCompare(b.message));
      const nodes = [...new Set(list.map((f) => f.node ?? '(no node)'))].sort();
      return {
        id,
        title: TITLES[id],
        findings: list,
        byNode:
          id === 'drift'
            ? nodes.map((node) => ({ node, findings: list.filter((f) => (f.node ?? '(no node)') === node) }))
            : [],
      };
    })
    .filter((g) => g.findings.length > 0);
}
