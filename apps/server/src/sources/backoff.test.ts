import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from 1 s and stops at 30 s without jitter', () => {
    const policy = { ...DEFAULT_BACKOFF, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('spreads by ±jitter/2 around the nominal delay', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(900);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0.999999)).toBe(1100);
  });

  it('is never negative, never above the cap, and never shrinks by more than the jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, initialMs, maxMs, jitter, r) => {
          const policy = { initialMs, maxMs, jitter };
          const d = backoffDelay(attempt, policy, () => r);
          const nominal = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(0, attempt), 30));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(maxMs);
          expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * (1 - jitter / 2)));
        },
      ),
    );
  });
});
