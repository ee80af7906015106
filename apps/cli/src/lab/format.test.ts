import { describe, expect, it } from 'vitest';
import { formatLabReport } from './format.js';
import type { LabReport } from './types.js';

const base: LabReport = {
  status: 'passed',
  mode: 'iptables',
  scenario: 'built-in',
  node: 'lab-node',
  connectionsPerTarget: 120,
  targets: [],
  namespaces: [],
  notes: [],
  durationMs: 6400,
};

describe('formatLabReport', () => {
  it('says why a lab was skipped', () => {
    const text = formatLabReport({
      ...base,
      status: 'skipped',
      reason: 'needs root to create network namespaces',
    });
    expect(text.split('\n')[0]).toBe('lab skipped: needs root to create network namespaces');
  });

  it('prints a summary, a table per target and every check', () => {
    const text = formatLabReport({
      ...base,
      status: 'failed',
      notes: ['affinity targets from the node use its one address: compared as one client'],
      targets: [
        {
          service: 'lab/web:http',
          protocol: 'TCP',
          entry: 'clusterIP',
          origin: 'client',
          src: '198.18.0.2',
          dst: '10.96.100.10',
          dport: 80,
          connections: 120,
          affinity: false,
          outcomes: [
            { key: '10.244.1.11:8080', predicted: 0.5, observed: 90, tolerance: 25.6, ok: false },
            { key: '10.244.2.12:8080', predicted: 0.5, observed: 30, tolerance: 25.6, ok: false },
          ],
          checks: [
            { name: 'endpoints', ok: true, detail: '2 of 2 predicted endpoints answered' },
            { name: 'shares', ok: false, detail: '10.244.1.11:8080 90/120 vs p=0.500' },
          ],
          notes: [],
          ok: false,
        },
      ],
    });
    expect(text).toBe(
      [
        'lab failed: 0/1 targets agree with the tracer (built-in scenario, node lab-node, iptables mode, 120 connections per target, 6.4 s)',
        'FAIL  lab/web:http TCP via clusterIP 10.96.100.10:80 from client 198.18.0.2 (120 connections)',
        '      outcome           predicted  expected  observed  tolerance',
        '      10.244.1.11:8080  50.0 %     60.0      90        ±25.6      OUT OF TOLERANCE',
        '      10.244.2.12:8080  50.0 %     60.0      30        ±25.6      OUT OF TOLERANCE',
        '      ok   endpoints: 2 of 2 predicted endpoints answered',
        '      FAIL shares: 10.244.1.11:8080 90/120 vs p=0.500',
        'note: affinity targets from the node use its one address: compared as one client',
      ].join('\n'),
    );
  });
});
