import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from './exec-limit.js';

describe('concurrency limit', () => {
  it('never runs more than the limit at once, runs every task, and keeps going after failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        async (max, fails) => {
          const limit = concurrencyLimit(max);
          let running = 0;
          let peak = 0;
          const settled = await Promise.allSettled(
            fails.map((fail, i) =>
              limit(async () => {
                running++;
                peak = Math.max(peak, running);
                // Yield a few times so tasks overlap as much as the limit lets them.
                for (let k = 0; k < (i % 3) + 1; k++) await Promise.resolve();
                running--;
                if (fail) throw new Error('boom');
                return i;
              }),
            ),
          );
          expect(peak).toBe(Math.min(max, fails.length));
          expect(settled.map((s) => s.status)).toEqual(fails.map((f) => (f ? 'rejected' : 'fulfilled')));
        },
      ),
    );
  });
});
