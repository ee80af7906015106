import { describe, expect, it } from 'vitest';
import { compare, observedKey, observedMasquerade } from './compare.js';
import type { Prediction } from './predict.js';
import type { ProbeResult } from './scripts.js';

const CLIENT = '198.18.0.2';
const answered = (endpoint: string, peer = '198.19.0.1:40000', local = CLIENT): ProbeResult => ({
  local,
  reply: { endpoint, name: endpoint, peer },
  error: null,
});
const failed = (error: string): ProbeResult => ({ local: CLIENT, reply: null, error });
const prediction = (
  shares: Record<string, number>,
  masq: Record<string, boolean>,
  affinity = false,
): Prediction => ({
  shares: new Map(Object.entries(shares)),
  masquerade: new Map(Object.entries(masq)),
  affinity,
  keyed: [],
  warnings: [],
});
const repeat = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const check = (c: ReturnType<typeof compare>, name: string) => c.checks.find((k) => k.name === name);

describe('observed outcomes', () => {
  it('keys answers by endpoint and errors by kind', () => {
    expect(observedKey(answered('10.244.1.11:8080'))).toBe('10.244.1.11:8080');
    expect(observedKey(failed('refused'))).toBe('refused');
    expect(observedKey(failed('timeout'))).toBe('timeout');
    expect(observedKey(failed('error:EHOSTUNREACH'))).toBe('error');
  });

  it('calls a connection masqueraded when the pod saw another source', () => {
    expect(observedMasquerade(answered('10.244.1.11:8080', '198.19.0.1:1234'))).toBe(true);
    expect(observedMasquerade(answered('10.244.1.11:8080', `${CLIENT}:1234`))).toBe(false);
    expect(observedMasquerade(failed('timeout'))).toBeNull();
  });
});

describe('compare', () => {
  const three = { '10.244.1.11:8080': 1 / 3, '10.244.2.12:8080': 1 / 3, '10.244.2.13:8080': 1 / 3 };
  const masq3 = { '10.244.1.11:8080': true, '10.244.2.12:8080': true, '10.244.2.13:8080': true };
  const eps = Object.keys(three);

  it('agrees with an even split that was masqueraded', () => {
    const clients = repeat(120, (i) => [answered(eps[i % 3] ?? '')]);
    const c = compare(prediction(three, masq3), clients);
    expect(c.checks.map((k) => [k.name, k.ok])).toEqual([
      ['endpoints', true],
      ['shares', true],
      ['verdict', true],
      ['masquerade', true],
    ]);
    expect(c.outcomes.map((o) => o.observed)).toEqual([40, 40, 40]);
  });

  it('finds an endpoint the kernel never used and a skewed split', () => {
    const clients = repeat(120, (i) => [answered(eps[i % 2] ?? '')]);
    const c = compare(prediction(three, masq3), clients);
    expect(check(c, 'endpoints')).toMatchObject({ ok: false, detail: 'never reached 10.244.2.13:8080' });
    expect(check(c, 'shares')?.ok).toBe(false);
  });

  it('finds an endpoint the tracer did not predict', () => {
    const clients = repeat(30, () => [answered('10.244.9.9:8080')]);
    const c = compare(prediction(three, masq3), clients);
    expect(check(c, 'endpoints')?.detail).toContain('unexpected 10.244.9.9:8080');
  });

  it('does not require rare endpoints to be seen', () => {
    const shares: Record<string, number> = { 'a:1': 0.99, 'b:1': 0.01 };
    const c = compare(
      prediction(shares, { 'a:1': false, 'b:1': false }),
      repeat(100, () => [answered('a:1', `${CLIENT}:1`)]),
    );
    expect(check(c, 'endpoints')?.ok).toBe(true);
  });

  it('compares masquerade per answer', () => {
    const clients = repeat(30, (i) => [
      answered(eps[i % 3] ?? '', i === 7 ? `${CLIENT}:5000` : '198.19.0.1:5000'),
    ]);
    const c = compare(prediction(three, masq3), clients);
    expect(check(c, 'masquerade')).toMatchObject({ ok: false });
    expect(check(c, 'masquerade')?.detail).toMatch(/^1\/30 disagree/);
  });

  it('treats REJECT as refused and DROP as timeout', () => {
    const refused = compare(
      prediction({ refused: 1 }, {}),
      repeat(50, () => [failed('refused')]),
    );
    expect(refused.checks.every((k) => k.ok)).toBe(true);
    const silent = compare(
      prediction({ refused: 1 }, {}),
      repeat(50, () => [failed('timeout')]),
    );
    expect(check(silent, 'verdict')).toMatchObject({ ok: false });
  });

  it('checks that each client stays on its first endpoint under affinity', () => {
    const half = { 'a:1': 0.5, 'b:1': 0.5 };
    const masq = { 'a:1': true, 'b:1': true };
    const pinned = repeat(60, (i) => [answered(i % 2 ? 'a:1' : 'b:1'), answered(i % 2 ? 'a:1' : 'b:1')]);
    expect(check(compare(prediction(half, masq, true), pinned), 'affinity')).toMatchObject({ ok: true });
    const moved = pinned.map((c, i) => (i === 3 ? [c[0] ?? answered('a:1'), answered('b:1')] : c));
    expect(check(compare(prediction(half, masq, true), moved), 'affinity')?.detail).toBe(
      '1/60 clients reached another endpoint on a later connection',
    );
    // Repeated connections when the tracer predicted no affinity: the tracer missed it.
    expect(check(compare(prediction(half, masq, false), pinned), 'affinity')).toMatchObject({ ok: false });
  });
});
