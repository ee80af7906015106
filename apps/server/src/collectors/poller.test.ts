import { describe, expect, it } from 'vitest';
import { Poller } from './poller.js';

describe('Poller', () => {
  it('backs off exponentially after failures, up to the cap, and resets after a success', async () => {
    let fail = true;
    let rounds = 0;
    const p = new Poller({
      intervalMs: 1000,
      maxBackoffMs: 5000,
      task: async () => {
        if (fail) throw new Error('down');
      },
      afterRound: () => rounds++,
    });
    expect(p.nextDelay()).toBe(1000);
    await p.runOnce();
    expect(p.nextDelay()).toBe(2000);
    await p.runOnce();
    expect(p.nextDelay()).toBe(4000);
    await p.runOnce();
    expect(p.nextDelay()).toBe(5000);
    fail = false;
    await p.runOnce();
    expect(p.nextDelay()).toBe(1000);
    expect(rounds).toBe(4);
  });
});
