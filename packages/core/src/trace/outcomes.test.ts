import { describe, expect, it } from 'vitest';
import { mergeOutcomes } from './outcomes.js';
import type { TraceOutcome, TraceStep } from './types.js';

const step = (chain: string, action: string, rule: number | null = 1): TraceStep => ({
  table: 'nat',
  chain,
  rule,
  text: `-A ${chain} -j X`,
  action,
});

const outcome = (probability: number, over: Partial<TraceOutcome> = {}): TraceOutcome => ({
  probability,
  verdict: 'ACCEPT',
  dnat: '10.0.0.1:80',
  masquerade: false,
  path: [step('KUBE-SERVICES', 'jump KUBE-SVC-A'), step('KUBE-SEP-A', 'DNAT to 10.0.0.1:80')],
  assumptions: [],
  affinity: null,
  notes: [],
  ...over,
});

describe('mergeOutcomes', () => {
  it('adds up outcomes that differ only in probability, most likely first', () => {
    const merged = mergeOutcomes([
      outcome(0.25),
      outcome(0.5, { dnat: '10.0.0.2:80' }),
      outcome(0.125),
      outcome(0.125),
    ]);
    expect(merged.map((o) => [o.dnat, o.probability])).toEqual([
      ['10.0.0.1:80', 0.5],
      ['10.0.0.2:80', 0.5],
    ]);
  });

  it('keeps apart outcomes whose path, masquerade, affinity or assumptions differ', () => {
    const assumption = {
      table: 'nat',
      chain: 'KUBE-SERVICES',
      rule: 3,
      text: '-A KUBE-SERVICES -m set --match-set X dst -j Y',
      match: '--match-set X dst',
      assumed: 'matched' as const,
    };
    const merged = mergeOutcomes([
      outcome(0.1),
      outcome(0.1, {
        path: [step('KUBE-SERVICES', 'jump KUBE-SVC-A'), step('KUBE-SEP-B', 'DNAT to 10.0.0.1:80')],
      }),
      outcome(0.1, {
        path: [step('KUBE-SERVICES', 'jump KUBE-SVC-A', 2), step('KUBE-SEP-A', 'DNAT to 10.0.0.1:80')],
      }),
      outcome(0.1, { masquerade: true }),
      outcome(0.1, { affinity: { timeoutSeconds: 10800, key: 'KUBE-SEP-A' } }),
      outcome(0.1, { assumptions: [assumption] }),
      outcome(0.1, { assumptions: [{ ...assumption, assumed: 'not matched' }] }),
      outcome(0.1, { verdict: 'DROP', dnat: null }),
    ]);
    expect(merged).toHaveLength(8);
  });

  it('does not change the outcomes it was given', () => {
    const input = [outcome(0.5), outcome(0.5)];
    mergeOutcomes(input);
    expect(input.map((o) => o.probability)).toEqual([0.5, 0.5]);
  });
});
