import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialTolerance, SIGMAS, withinTolerance } from './stats.js';

describe('binomial tolerance', () => {
  it('is 4.5 standard deviations plus one', () => {
    // n = 300, p = 1/3: sd = sqrt(300 · 1/3 · 2/3) = 8.165
    expect(binomialTolerance(300, 1 / 3)).toBeCloseTo(SIGMAS * Math.sqrt(200 / 3) + 1, 9);
    expect(binomialTolerance(120, 0.5)).toBeCloseTo(4.5 * Math.sqrt(30) + 1, 9);
  });

  it('leaves only the rounding slack for certain outcomes', () => {
    expect(binomialTolerance(300, 1)).toBe(1);
    expect(binomialTolerance(300, 0)).toBe(1);
    expect(withinTolerance(300, 300, 1)).toBe(true);
    expect(withinTolerance(299, 300, 1)).toBe(true);
    expect(withinTolerance(298, 300, 1)).toBe(false);
    expect(withinTolerance(2, 300, 0)).toBe(false);
  });

  it('accepts a fair three-way split and rejects an endpoint that never answers', () => {
    expect(withinTolerance(100, 300, 1 / 3)).toBe(true);
    expect(withinTolerance(70, 300, 1 / 3)).toBe(true); // 30 below: 3.7 sd
    expect(withinTolerance(60, 300, 1 / 3)).toBe(false); // 40 below: 4.9 sd
    expect(withinTolerance(0, 300, 1 / 3)).toBe(false);
    // 150/150 where 1/4 each of four was predicted (the classic "first rule takes 1/n" bug inverted)
    expect(withinTolerance(150, 300, 0.25)).toBe(false);
  });

  it('always accepts the expected count and is symmetric around it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const t = binomialTolerance(n, p);
        expect(t).toBeGreaterThanOrEqual(1);
        expect(withinTolerance(Math.round(p * n), n, p)).toBe(true);
        const d = Math.floor(t);
        expect(withinTolerance(p * n + d, n, p)).toBe(withinTolerance(p * n - d, n, p));
      }),
    );
  });
});
