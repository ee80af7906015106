import { describe, it, expect } from 'vitest';
import type { FindingDto } from '@svcpath/core';
import { groupFindings } from './group-findings.js';

const f = (code: string, severity: FindingDto['severity'], node?: string): FindingDto => ({
  code,
  severity,
  message: code,
  ...(node ? { node } : {}),
});

describe('groupFindings', () => {
  it('groups by kind, drift per node, errors first', () => {
    const groups = groupFindings([
      f('stale-dump', 'warning', 'n2'),
      f('drift-missing-endpoint', 'warning', 'n2'),
      f('drift-stale-chain', 'error', 'n1'),
      f('no-endpoints', 'error'),
      f('endpoints-not-ready', 'warning'),
      f('something-else', 'info'),
    ]);
    expect(groups.map((g) => g.id)).toEqual(['drift', 'no-endpoints', 'not-ready', 'dumps', 'other']);
    expect(groups[0]?.byNode.map((b) => b.node)).toEqual(['n1', 'n2']);
    expect(groupFindings([])).toEqual([]);
  });
});
