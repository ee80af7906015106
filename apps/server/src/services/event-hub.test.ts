import { describe, expect, it } from 'vitest';
import { EventHub, type NumberedEvent } from './event-hub.js';

const tick = () => new Promise<void>((r) => queueMicrotask(r));

describe('EventHub', () => {
  it('sends each event of a burst once, in order, with increasing ids', async () => {
    const hub = new EventHub();
    const got: NumberedEvent[] = [];
    hub.subscribe((e) => got.push(e));
    hub.publish({ type: 'nodes', name: 'a' });
    hub.publish({ type: 'diagnostics' });
    hub.publish({ type: 'nodes', name: 'a' });
    hub.publish({ type: 'diagnostics' });
    hub.publish({ type: 'nodes', name: 'b' });
    await tick();
    expect(got.map((e) => [e.id, e.event])).toEqual([
      [1, { type: 'nodes', name: 'a' }],
      [2, { type: 'diagnostics' }],
      [3, { type: 'nodes', name: 'b' }],
    ]);
  });

  it('replays what came after an id, or says it no longer can', async () => {
    const hub = new EventHub(2);
    for (const name of ['a', 'b', 'c']) {
      hub.publish({ type: 'nodes', name });
      await tick();
    }
    expect(hub.since(2)?.map((e) => e.id)).toEqual([3]);
    expect(hub.since(3)).toEqual([]);
    expect(hub.since(0)).toBeNull();
  });

  it('keeps serving the others when one listener throws', async () => {
    const hub = new EventHub();
    const got: number[] = [];
    hub.subscribe(() => {
      throw new Error('gone');
    });
    hub.subscribe((e) => got.push(e.id));
    hub.publish({ type: 'status' });
    await tick();
    expect(got).toEqual([1]);
  });
});
