import type { Service } from '@svcpath/core';
import { afterEach, describe, expect, it } from 'vitest';
import { StaticClusterSource } from '../sources/static-source.test-helpers.js';
import { ClusterModel } from './cluster-model.js';
import { DumpStore } from './dump-store.js';
import { EventHub } from './event-hub.js';
import { SourceSync } from './source-sync.js';

const svc = (name: string): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] },
});
const state = (...names: string[]) => ({ services: names.map(svc), endpointSlices: [], pods: [], nodes: [] });

let sync: SourceSync | undefined;
afterEach(() => sync?.detach());

/** A sync whose rebuilds each take `cost` ms on a hand-moved clock. */
function harness(cost: number) {
  let t = 0;
  const source = new StaticClusterSource(state('a'));
  const model = new ClusterModel(new DumpStore(), new EventHub(), () => new Date(0));
  // Every read of the source is where a rebuild spends its time.
  const snapshot = source.snapshot.bind(source);
  source.snapshot = () => {
    t += cost;
    return snapshot();
  };
  const s = new SourceSync(
    source,
    model,
    new EventHub(),
    () => [],
    () => new Date(0),
    undefined,
    undefined,
    () => t,
  );
  s.attach();
  s.refresh();
  const names = () => model.services.summaries.map((x) => x.name);
  return { s, source, names, advance: (ms: number) => (t += ms) };
}

describe('SourceSync', () => {
  it('rebuilds a cheap model for every read that follows a change', () => {
    const h = harness(5);
    sync = h.s;
    h.source.replace(state('a', 'b'));
    h.s.refreshIfDue();
    expect(h.names()).toEqual(['a', 'b']);
  });

  it('spaces out costly rebuilds: reads see the last state until twice its cost has passed', () => {
    const h = harness(200);
    sync = h.s;
    expect(h.s.wait()).toBe(400);
    h.source.replace(state('a', 'b'));
    h.s.refreshIfDue();
    expect(h.names()).toEqual(['a']);
    h.advance(399);
    h.s.refreshIfDue();
    expect(h.names()).toEqual(['a']);
    h.advance(1);
    h.s.refreshIfDue();
    expect(h.names()).toEqual(['a', 'b']);
  });

  it('rebuilds a costly model on its own once the wait is over', async () => {
    const h = harness(60);
    sync = h.s;
    h.source.replace(state('a', 'c'));
    // The timer waits the real 120 ms the clock asked for; the hand clock moves with it.
    h.advance(120);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.names()).toEqual(['a', 'c']);
  });
});
