// Restart policy of one informer, with a manual clock, against the Kubernetes API test double
// (@svcpath/test-apiserver: a stand-in for the API in tests, not a cluster).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startTestApiServer } from '@svcpath/test-apiserver';
import type { TestApiServer } from '@svcpath/test-apiserver';
import { resourceLists } from './kube-lists.js';
import { ResourceInformer } from './resource-informer.js';
import type { Scheduler } from './scheduler.js';
import type { ChangeEvent } from './types.js';
import { eventually, service } from './kube-test-fixtures.test-helpers.js';

/** A scheduler the test fires by hand; long timers (watch guards) are recorded but never fired. */
function manualScheduler() {
  const pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Scheduler = (fn, ms) => {
    const entry = { fn, ms, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const restarts = () => pending.filter((p) => !p.cancelled && p.ms < 10_000);
  const guards = () => pending.filter((p) => !p.cancelled && p.ms >= 10_000);
  return {
    schedule,
    restarts,
    guards,
    fireRestart() {
      const [next, ...others] = restarts();
      if (!next || others.length > 0)
        throw new Error(`expected one pending restart, found ${restarts().length}`);
      next.cancelled = true;
      next.fn();
    },
  };
}

describe('ResourceInformer restarts', () => {
  let api: TestApiServer;
  beforeEach(async () => {
    api = await startTestApiServer();
    api.upsert('services', service('shop', 'web', '10.96.0.10'));
  });
  afterEach(async () => {
    await api.close();
  });

  it('retries a failing list with doubling, capped delays and one restart pending at a time', async () => {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'double', server: api.url, skipTLSVerify: true }, { name: 'tester' });
    const realList = resourceLists(kc).services;
    let failuresLeft = 5;
    const clock = manualScheduler();
    const events: ChangeEvent[] = [];
    let statusCalls = 0;
    const informer = new ResourceInformer({
      kubeConfig: kc,
      path: '/api/v1/services',
      list: () =>
        failuresLeft-- > 0
          ? Promise.reject(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))
          : realList(),
      changeKind: 'service',
      now: () => new Date('2026-05-01T12:00:00Z'),
      schedule: clock.schedule,
      random: () => 0.5,
      backoff: { initialMs: 100, maxMs: 800, jitter: 0 },
      minHealthyWatchMs: 1000,
      backoffResetMs: 60_000,
      onChange: (ev) => events.push(ev),
      onStatus: () => statusCalls++,
    });

    await informer.start();
    expect(informer.status).toEqual({
      state: 'error',
      message: 'API unreachable: ECONNREFUSED: connect',
      count: 0,
    });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [pending] = clock.restarts();
      delays.push(pending?.ms ?? -1);
      clock.fireRestart();
      await eventually(
        () => clock.restarts().length === 1 || informer.status.state === 'ready',
        `attempt ${i + 2} finished`,
      );
    }
    expect(delays).toEqual([100, 200, 400, 800, 800]);
    await eventually(() => informer.status.state === 'ready', 'ready');
    expect(clock.restarts()).toEqual([]);
    expect(informer.status).toEqual({ state: 'ready', lastSyncedAt: '2026-05-01T12:00:00.000Z', count: 1 });
    expect(events).toEqual([{ kind: 'service', type: 'add', namespace: 'shop', name: 'web' }]);
    expect(statusCalls).toBeGreaterThanOrEqual(2);

    // Stopping cancels everything: a later failure schedules nothing.
    informer.stop();
    api.dropWatches();
    await eventually(() => api.openWatches() === 0, 'watch closed');
    expect(clock.restarts()).toEqual([]);
    expect(informer.status.state).toBe('ready');
    expect(api.requests.filter((r) => r.watch)).toHaveLength(1);
  });

  it('reopens a watch the server forgot (no end, no events) from its last version, without a relist', async () => {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'double', server: api.url, skipTLSVerify: true }, { name: 'tester' });
    const clock = manualScheduler();
    const events: ChangeEvent[] = [];
    const informer = new ResourceInformer({
      kubeConfig: kc,
      path: '/api/v1/services',
      list: resourceLists(kc).services,
      changeKind: 'service',
      now: () => new Date('2026-05-01T12:00:00Z'),
      schedule: clock.schedule,
      random: () => 0.5,
      backoff: { initialMs: 100, maxMs: 800, jitter: 0 },
      minHealthyWatchMs: 0,
      backoffResetMs: 60_000,
      watchTimeoutSeconds: 300,
      onChange: (ev) => events.push(ev),
      onStatus: () => undefined,
    });
    await informer.start();
    const [guard] = clock.guards();
    expect(guard?.ms).toBe(330_000); // the server's timeout plus a margin
    const firstWatch = api.requests.find((r) => r.watch);
    expect(firstWatch?.resourceVersion).toBe(api.resourceVersion());

    api.upsert('services', service('shop', 'api', '10.96.0.11'));
    await eventually(() => events.length === 2, 'add seen');
    guard?.fn(); // as if the connection had gone silent
    await eventually(() => api.requests.filter((r) => r.watch).length === 2, 'watch reopened');
    const reopened = api.requests.filter((r) => r.watch)[1];
    expect(reopened?.resourceVersion).toBe(api.resourceVersion());
    expect(api.requests.filter((r) => !r.watch)).toHaveLength(1);
    expect(clock.restarts()).toEqual([]);
    expect(informer.status.state).toBe('ready');

    api.upsert('services', service('shop', 'cart', '10.96.0.12'));
    await eventually(() => events.length === 3, 'later change seen');
    expect(events.map((e) => `${e.type} ${e.name}`)).toEqual(['add web', 'add api', 'add cart']);
    informer.stop();
  });
});
