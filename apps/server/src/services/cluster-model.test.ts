import { describe, expect, it } from 'vitest';
import { createDemoCluster } from '@svcpath/demo';
import { ClusterModel } from './cluster-model.js';
import { DumpStore } from './dump-store.js';
import { EventHub, type NumberedEvent } from './event-hub.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

function model() {
  const hub = new EventHub();
  const events: NumberedEvent[] = [];
  hub.subscribe((e) => events.push(e));
  const m = new ClusterModel(new DumpStore(), hub, () => new Date('2026-01-01T00:00:00Z'));
  return { m, events };
}

describe('ClusterModel', () => {
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
