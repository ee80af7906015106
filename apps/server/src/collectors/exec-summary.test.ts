import { describe, expect, it } from 'vitest';
import { summarizeByNode } from './exec-summary.js';

describe('status summary by node', () => {
  it('says each message once with its nodes, the most widespread first', () => {
    const entries = [
      ...['n1', 'n2', 'n3', 'n4', 'n5'].map((node) => ({
        node,
        message: 'ipvs: ipvsadm is not in the kube-proxy container',
      })),
      { node: 'n2', message: 'nft: nft -j list ruleset timed out after 30000 ms' },
    ];
    expect(summarizeByNode(entries)).toBe(
      'ipvs: ipvsadm is not in the kube-proxy container (n1, n2, n3, +2 more); nft: nft -j list ruleset timed out after 30000 ms (n2)',
    );
    expect(summarizeByNode([])).toBe('');
  });
});
