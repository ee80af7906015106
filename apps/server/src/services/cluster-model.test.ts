import { describe, expect, it } from 'vitest';
import { createDemoCluster } from '@svcpath/demo';
import { ClusterModel } from './cluster-model.js';
import { DumpStore } from './dump-store.js';
import { EventHub, type NumberedEvent } from './event-hub.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

function model(driftBudgetMs?: number) {
  const hub = new EventHub();
  const events: NumberedEvent[] = [];
  hub.subscribe((e) => events.push(e));
  const dumps = new DumpStore();
  const m = new ClusterModel(dumps, hub, () => new Date('2026-01-01T00:00:00Z'), undefined, driftBudgetMs);
  return { m, events, dumps };
}

describe('ClusterModel', () => {
  it('computes drift past the time budget in the background and announces each node', async () => {
    const demo = createDemoCluster({ startTime: new Date(0) });
    const { m, events, dumps } = model(0);
    m.setCluster({ cluster: demo.state(), nodeSettings: {} });
    // node-a's dump is the expected rules minus nothing: no drift once computed.
    const text = m.expectedText('node-a');
    if ('unavailable' in text || text.iptables === undefined) throw new Error('no expected iptables rules');
    dumps.put('node-a', 'iptables', text.iptables, 'upload', new Date('2026-01-01T00:00:00Z'));
    await tick();
    events.length = 0;
    expect(m.nodeDto('node-a')).toMatchObject({ drift: null, driftPending: true });
    expect(m.nodeDto('node-b')).toMatchObject({ drift: null });
    expect(m.nodeDto('node-b')?.driftPending).toBeUndefined(); // no dump: nothing to compare
    await tick();
    await tick();
    expect(m.nodeDto('node-a')).toEqual(expect.objectContaining({ drift: 0 }));
    expect(m.nodeDto('node-a')?.driftPending).toBeUndefined();
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining([{ type: 'nodes', name: 'node-a' }, { type: 'diagnostics' }]),
    );
    // Stopped, it leaves nothing queued: no node is computed or announced afterwards.
    demo.advance(new Date(15_000));
    m.setCluster({ cluster: demo.state(), nodeSettings: {} });
    await tick();
    events.length = 0;
    expect(m.nodeDto('node-a')?.driftPending).toBe(true);
    m.stop();
    await tick();
    await tick();
    await tick();
    expect(events).toEqual([]);
  });

  it('announces only the Services that changed, and every node (their expected rules moved)', async () => {
    const demo = createDemoCluster({ startTime: new Date(0) });
    const { m, events } = model();
    m.setCluster({ cluster: demo.state(), nodeSettings: {} });
    await tick();
    events.length = 0;
    demo.advance(new Date(15_000)); // a hostnames pod becomes unready
    m.setCluster({ cluster: demo.state(), nodeSettings: {} });
    await tick();
    expect(events.filter((e) => e.event.type === 'services').map((e) => e.event)).toEqual([
      { type: 'services', namespace: 'default', name: 'hostnames' },
    ]);
    expect(events.filter((e) => e.event.type === 'nodes')).toHaveLength(3);
  });

  it('keeps derived data and stays quiet when a resync brings equal objects', async () => {
    const demo = createDemoCluster({ startTime: new Date(0) });
    const { m, events } = model();
    m.setCluster({ cluster: demo.state(), nodeSettings: {} });
    const graph = m.graph('node-a', 'expected');
    await tick();
    events.length = 0;
    m.setCluster({ cluster: structuredClone(demo.state()), nodeSettings: {} });
    await tick();
    expect(events).toEqual([]);
    expect(m.graph('node-a', 'expected')).toBe(graph);
  });
});
