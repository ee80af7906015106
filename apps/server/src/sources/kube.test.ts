// Integration tests of the kube source through client-node's real informers, against
// @svcpath/test-apiserver: an in-repo double of the Kubernetes API, not a cluster (there is no
// kube-apiserver on the machines that run these tests).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { startTestApiServer } from '@svcpath/test-apiserver';
import type { ResourceKind, TestApiServer } from '@svcpath/test-apiserver';
import { KubeClusterSource } from './kube.js';
import type { KubeClusterSourceOptions } from './kube.js';
import type { ChangeEvent, ClusterSnapshot, SourceStatus } from './types.js';
import {
  endpointSlice,
  eventually,
  kubeProxyConfigMap,
  pod,
  seed,
  service,
  writeKubeconfig,
} from './kube-test-fixtures.test-helpers.js';

const FAST: Partial<KubeClusterSourceOptions> = {
  backoff: { initialMs: 20, maxMs: 200, jitter: 0.2 },
  backoffResetMs: 500,
  minHealthyWatchMs: 300,
  proxyConfigPollMs: 100,
};

interface Harness {
  api: TestApiServer;
  source: KubeClusterSource;
  events: ChangeEvent[];
  statuses: SourceStatus[];
  cleanup: () => Promise<void>;
}

async function harness(api: TestApiServer, opts: Partial<KubeClusterSourceOptions> = {}): Promise<Harness> {
  const kubeconfig = await writeKubeconfig(api.url);
  const source = new KubeClusterSource({
    kubeconfig: kubeconfig.path,
    context: 'test-double',
    ...FAST,
    ...opts,
  });
  const events: ChangeEvent[] = [];
  const statuses: SourceStatus[] = [];
  source.onChange((ev) => events.push(ev));
  source.onStatus((s) => statuses.push(s));
  return {
    api,
    source,
    events,
    statuses,
    cleanup: async () => {
      source.stop();
      await kubeconfig.cleanup();
    },
  };
}

/** `namespace/name@resourceVersion` of every object: equal lists mean equal states. */
const fingerprint = (
  objects: ReadonlyArray<{ metadata: { name: string; namespace?: string; resourceVersion?: string } }>,
) =>
  objects
    .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}@${o.metadata.resourceVersion ?? '?'}`)
    .sort();

const SNAPSHOT_KEYS: Array<[keyof ClusterSnapshot & string, ResourceKind]> = [
  ['services', 'services'],
  ['endpointSlices', 'endpointslices'],
  ['pods', 'pods'],
  ['nodes', 'nodes'],
];

function expectSnapshotMatchesDouble(
  snapshot: ClusterSnapshot,
  api: TestApiServer,
  status?: SourceStatus,
): void {
  if (status) {
    for (const [, kind] of SNAPSHOT_KEYS) {
      expect(status.resources[kind as 'services'].count, `${kind} count`).toBe(api.list(kind).length);
    }
  }
  for (const [key, kind] of SNAPSHOT_KEYS) {
    const objects = snapshot[key] as Array<{
      metadata: { name: string; namespace?: string; resourceVersion?: string };
    }>;
    expect(fingerprint(objects), key).toEqual(fingerprint(api.list(kind)));
  }
}

const snapshotMatches = (h: Harness): boolean => {
  const snap = h.source.snapshot();
  return SNAPSHOT_KEYS.every(([key, kind]) => {
    const objects = snap[key] as Array<{
      metadata: { name: string; namespace?: string; resourceVersion?: string };
    }>;
    return JSON.stringify(fingerprint(objects)) === JSON.stringify(fingerprint(h.api.list(kind)));
  });
};

const saw = (h: Harness, kind: ChangeEvent['kind'], type: ChangeEvent['type'], name: string) =>
  h.events.some((e) => e.kind === kind && e.type === type && e.name === name);

const watchRequests = (api: TestApiServer, kind: ResourceKind) =>
  api.requests.filter((r) => r.watch && r.kind === kind).length;

describe('KubeClusterSource against the Kubernetes API test double', () => {
  let api: TestApiServer;
  let h: Harness;

  beforeEach(async () => {
    api = await startTestApiServer({ historyLimit: 500 });
    seed(api);
  });
  afterEach(async () => {
    await h.cleanup();
    // Read-only and scoped: nothing but the four resources and kube-proxy's ConfigMap.
    expect(api.requests.filter((r) => r.kind === 'secrets')).toEqual([]);
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
    await api.close();
  });

  it('lists, then watches, and reports ready with counts and the context name', async () => {
    api.upsert(
      'configmaps',
      kubeProxyConfigMap(
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nclusterCIDR: 10.244.0.0/16\n',
      ),
    );
    h = await harness(api);
    await h.source.start();
    const status = h.source.status();
    expect(status).toMatchObject({ kind: 'kube', name: 'test-double', state: 'ready' });
    expect(status.resources.services).toMatchObject({ state: 'ready', count: 2 });
    expect(status.resources.endpointslices).toMatchObject({ state: 'ready', count: 1 });
    expect(status.resources.pods).toMatchObject({ state: 'ready', count: 2 });
    expect(status.resources.nodes).toMatchObject({ state: 'ready', count: 1 });
    expect(status.resources['kube-proxy-config']).toMatchObject({ state: 'ready', count: 1 });
    expect(status.resources.services.lastSyncedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const snap = h.source.snapshot();
    expectSnapshotMatchesDouble(snap, api);
    expect(snap.proxyConfig).toMatchObject({
      kind: 'KubeProxyConfiguration',
      mode: 'ipvs',
      clusterCIDR: '10.244.0.0/16',
    });
    // Objects come in the JSON form the API sends (dates as strings, int-or-string kept).
    const web = snap.services.find((s) => s.metadata.name === 'web');
    expect(web?.spec.ports?.[0]).toMatchObject({ port: 80, targetPort: 8080, protocol: 'TCP' });
    expect(typeof web?.metadata.creationTimestamp).toBe('string');
    expect(snap.endpointSlices[0]?.endpoints?.[0]).toMatchObject({
      addresses: ['10.244.0.5'],
      conditions: { ready: true },
    });
    expect(snap.pods.map((p) => p.status?.podIP)).toEqual(['10.244.0.5', '10.244.0.6']);
    expect(snap.nodes[0]?.status?.addresses?.[0]?.address).toBe('192.168.0.10');

    // One list and one watch per resource: after start, nothing is polled but the ConfigMap.
    for (const kind of ['services', 'endpointslices', 'pods', 'nodes'] as const) {
      expect(api.requests.filter((r) => r.kind === kind && !r.watch)).toHaveLength(1);
      expect(watchRequests(api, kind)).toBe(1);
    }
    // The watch starts at the version the list returned (nothing changed since).
    expect(api.requests.find((r) => r.watch && r.kind === 'services')?.resourceVersion).toBe(
      api.resourceVersion(),
    );
  });

  it('passes add, change and delete of Services, EndpointSlices and Pods to onChange and the snapshot', async () => {
    h = await harness(api);
    await h.source.start();
    h.events.length = 0;

    api.upsert('services', service('shop', 'cart', '10.96.0.20'));
    api.upsert('services', service('shop', 'cart', '10.96.0.20', 9090));
    api.remove('services', 'shop', 'api');
    api.upsert('endpointslices', endpointSlice('shop', 'cart', 'x1', ['10.244.0.9']));
    api.upsert('endpointslices', endpointSlice('shop', 'cart', 'x1', ['10.244.0.9', '10.244.0.10']));
    api.remove('endpointslices', 'shop', 'web-abc12');
    api.upsert('pods', pod('shop', 'cart-1', '10.244.0.9', 'Pending'));
    api.upsert('pods', pod('shop', 'cart-1', '10.244.0.9'));
    api.remove('pods', 'shop', 'web-2');

    await eventually(() => h.events.length >= 9, 'nine change events');
    expect(h.events).toEqual([
      { kind: 'service', type: 'add', namespace: 'shop', name: 'cart' },
      { kind: 'service', type: 'update', namespace: 'shop', name: 'cart' },
      { kind: 'service', type: 'delete', namespace: 'shop', name: 'api' },
      { kind: 'endpointslice', type: 'add', namespace: 'shop', name: 'cart-x1' },
      { kind: 'endpointslice', type: 'update', namespace: 'shop', name: 'cart-x1' },
      { kind: 'endpointslice', type: 'delete', namespace: 'shop', name: 'web-abc12' },
      { kind: 'pod', type: 'add', namespace: 'shop', name: 'cart-1' },
      { kind: 'pod', type: 'update', namespace: 'shop', name: 'cart-1' },
      { kind: 'pod', type: 'delete', namespace: 'shop', name: 'web-2' },
    ]);
    const snap = h.source.snapshot();
    expectSnapshotMatchesDouble(snap, api);
    expect(snap.services.find((s) => s.metadata.name === 'cart')?.spec.ports?.[0]?.port).toBe(9090);
    expect(snap.endpointSlices.find((s) => s.metadata.name === 'cart-x1')?.endpoints).toHaveLength(2);
    expect(snap.pods.find((p) => p.metadata.name === 'cart-1')?.status?.phase).toBe('Running');
    expect(h.source.status().resources.services.count).toBe(2);
  });

  it('recovers from dropped watches, abrupt and graceful, without losing a change', async () => {
    h = await harness(api);
    await h.source.start();

    api.dropWatches(); // sockets destroyed: client-node reports an error and stops; we restart it
    api.upsert('services', service('shop', 'during-abrupt-drop', '10.96.0.30'));
    api.remove('pods', 'shop', 'web-1');
    await eventually(() => snapshotMatches(h), 'snapshot equal after abrupt drop');

    api.dropWatches({ graceful: true }); // stream ended cleanly: client-node reconnects itself
    api.upsert('endpointslices', endpointSlice('shop', 'web', 'abc12', ['10.244.0.6']));
    await eventually(() => snapshotMatches(h), 'snapshot equal after graceful drop');

    expect(saw(h, 'service', 'add', 'during-abrupt-drop')).toBe(true);
    expect(saw(h, 'pod', 'delete', 'web-1')).toBe(true);
    expect(saw(h, 'endpointslice', 'update', 'web-abc12')).toBe(true);
    expectSnapshotMatchesDouble(h.source.snapshot(), api, h.source.status());
    await eventually(() => h.source.status().state === 'ready', 'ready again');
  });

  it('marks data stale while the API is down, resumes the watch from its version when back', async () => {
    h = await harness(api);
    await h.source.start();
    const before = h.source.snapshot();

    api.setDown(true);
    await eventually(() => h.source.status().resources.services.state === 'stale', 'services stale');
    const down = h.source.status();
    expect(down.state).toBe('degraded');
    expect(down.resources.services.message).toMatch(/API unreachable/);
    expect(down.resources.services.count).toBe(2);
    // The last good objects are still served.
    expect(h.source.snapshot().services).toEqual(before.services);

    api.upsert('services', service('shop', 'while-down', '10.96.0.31'));
    api.remove('services', 'shop', 'web');
    const watchesBeforeRecovery = api.requests.filter(
      (r) => r.watch && r.kind === 'services' && r.status === 200,
    ).length;
    api.setDown(false);
    await eventually(() => snapshotMatches(h) && h.source.status().state === 'ready', 'recovered');
    expect(saw(h, 'service', 'add', 'while-down')).toBe(true);
    expect(saw(h, 'service', 'delete', 'web')).toBe(true);
    // History still covered the gap: resumed by watch, not by a relist.
    expect(api.requests.filter((r) => !r.watch && r.kind === 'services')).toHaveLength(1);
    expect(
      api.requests.filter((r) => r.watch && r.kind === 'services' && r.status === 200).length,
    ).toBeGreaterThan(watchesBeforeRecovery);
    expect(h.statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['degraded', 'ready']));
  });

  it('relists after 410 Gone and reports every change made while the history expired', async () => {
    h = await harness(api);
    await h.source.start();
    h.events.length = 0;

    api.setDown(true);
    await eventually(() => h.source.status().resources.pods.state === 'stale', 'pods stale');
    api.upsert('services', service('shop', 'after-gone', '10.96.0.32'));
    api.remove('services', 'shop', 'api');
    api.upsert('pods', pod('shop', 'web-1', '10.244.0.5', 'Failed'));
    api.upsert('endpointslices', endpointSlice('shop', 'web', 'abc12', []));
    api.expireHistory();
    api.setDown(false);

    await eventually(() => snapshotMatches(h) && h.source.status().state === 'ready', 'recovered after 410');
    expect(saw(h, 'service', 'add', 'after-gone')).toBe(true);
    expect(saw(h, 'service', 'delete', 'api')).toBe(true);
    expect(saw(h, 'pod', 'update', 'web-1')).toBe(true);
    expect(saw(h, 'endpointslice', 'update', 'web-abc12')).toBe(true);
    // The 410 was answered on a watch and followed by a second list of each resource.
    expect(api.requests.filter((r) => !r.watch && r.kind === 'services')).toHaveLength(2);
    expect(h.source.snapshot().pods.find((p) => p.metadata.name === 'web-1')?.status?.phase).toBe('Failed');
    expectSnapshotMatchesDouble(h.source.snapshot(), api, h.source.status());
  });

  it('shows 403 from RBAC as forbidden resources, keeps the rest, and recovers when allowed', async () => {
    api.setForbidden('pods', true);
    api.setForbidden('configmaps', true);
    h = await harness(api);
    await h.source.start();
    const status = h.source.status();
    expect(status.state).toBe('degraded');
    expect(status.resources.pods.state).toBe('forbidden');
    expect(status.resources.pods.message).toContain('cannot list resource "pods"');
    expect(status.resources['kube-proxy-config'].state).toBe('forbidden');
    expect(status.resources.services.state).toBe('ready');
    expect(h.source.snapshot().pods).toEqual([]);
    expect(h.source.snapshot().services).toHaveLength(2);

    api.setForbidden('pods', false);
    api.setForbidden('configmaps', false);
    await eventually(() => h.source.status().state === 'ready', 'ready once allowed');
    expect(h.source.snapshot().pods).toHaveLength(2);
    expect(h.source.status().resources['kube-proxy-config'].message).toBe('not found: defaults used');
  });

  it('shows an unreachable API as an error status, not a crash', async () => {
    const gone = await startTestApiServer();
    const url = gone.url;
    await gone.close();
    const kubeconfig = await writeKubeconfig(url);
    const source = new KubeClusterSource({ kubeconfig: kubeconfig.path, ...FAST });
    h = { api, source, events: [], statuses: [], cleanup: async () => (source.stop(), kubeconfig.cleanup()) };
    await source.start();
    const status = source.status();
    expect(status.state).toBe('error');
    for (const r of ['services', 'endpointslices', 'pods', 'nodes', 'kube-proxy-config'] as const) {
      expect(status.resources[r].state).toBe('error');
      expect(status.resources[r].message).toMatch(/API unreachable/);
    }
    expect(source.snapshot()).toEqual({ services: [], endpointSlices: [], pods: [], nodes: [] });
  });

  it('fails a list that gets no answer in time, then retries it', async () => {
    api.setLatency(2000);
    h = await harness(api, { requestTimeoutMs: 200 });
    await h.source.start();
    expect(h.source.status().resources.services).toMatchObject({
      state: 'error',
      message: 'API unreachable: ETIMEDOUT: list services: no answer within 200 ms',
    });
    api.setLatency(0);
    await eventually(() => h.source.status().state === 'ready', 'ready once the API answers');
    expectSnapshotMatchesDouble(h.source.snapshot(), api, h.source.status());
  });

  it('rejects a kubeconfig context that does not exist', async () => {
    const kubeconfig = await writeKubeconfig(api.url);
    const source = new KubeClusterSource({ kubeconfig: kubeconfig.path, context: 'nope' });
    h = { api, source, events: [], statuses: [], cleanup: () => kubeconfig.cleanup() };
    await expect(source.start()).rejects.toThrow(/context "nope" not found.*test-double/);
  });

  it('follows kube-proxy config changes: added, changed, removed', async () => {
    h = await harness(api);
    await h.source.start();
    expect(h.source.status().resources['kube-proxy-config']).toMatchObject({
      state: 'ready',
      message: 'not found: defaults used',
      count: 0,
    });
    expect(h.source.snapshot().proxyConfig).toBeUndefined();

    api.upsert('configmaps', kubeProxyConfigMap('mode: iptables\n'));
    await eventually(() => saw(h, 'config', 'add', 'kube-proxy'), 'config added');
    expect(h.source.snapshot().proxyConfig).toEqual({ mode: 'iptables' });

    api.upsert('configmaps', kubeProxyConfigMap('mode: nftables\nclusterCIDR: 10.244.0.0/16\n'));
    await eventually(() => saw(h, 'config', 'update', 'kube-proxy'), 'config changed');
    expect(h.source.snapshot().proxyConfig).toEqual({ mode: 'nftables', clusterCIDR: '10.244.0.0/16' });

    api.upsert('configmaps', kubeProxyConfigMap('mode: [unclosed\n'));
    await eventually(
      () => h.source.status().resources['kube-proxy-config'].state === 'error',
      'bad config reported',
    );
    expect(h.source.status().resources['kube-proxy-config'].message).toMatch(/config\.conf: line \d+: /);
    expect(h.source.snapshot().proxyConfig).toEqual({ mode: 'nftables', clusterCIDR: '10.244.0.0/16' });

    api.remove('configmaps', 'kube-system', 'kube-proxy');
    await eventually(() => saw(h, 'config', 'delete', 'kube-proxy'), 'config removed');
    expect(h.source.snapshot().proxyConfig).toBeUndefined();
    // Only the one ConfigMap is ever read, by name.
    expect(
      api.requests
        .filter((r) => r.kind === 'configmaps')
        .every((r) => r.name === 'kube-proxy' && r.namespace === 'kube-system'),
    ).toBe(true);
  });

  it('paces watches the API answers only with ERROR events, shows them stale, recovers', async () => {
    h = await harness(api);
    await h.source.start();
    api.clearRequests();
    api.setWatchError('services', { code: 500, message: 'etcdserver: request timed out' });
    api.dropWatches({ graceful: true });
    await eventually(() => h.source.status().resources.services.state === 'stale', 'services stale');
    expect(h.source.status().resources.services.message).toBe(
      'watch: HTTP 500: etcdserver: request timed out (showing last known objects)',
    );
    expect(h.source.status().resources.pods.state).toBe('ready');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // client-node alone would reopen at once, every time: hundreds per second.
    expect(watchRequests(api, 'services')).toBeLessThan(20);
    expect(api.requests.filter((r) => !r.watch && r.kind === 'services')).toHaveLength(0);

    api.setWatchError('services', undefined);
    api.upsert('services', service('shop', 'after-errors', '10.96.0.41'));
    await eventually(
      () => h.source.status().state === 'ready' && snapshotMatches(h),
      'ready after the errors',
    );
    expect(saw(h, 'service', 'add', 'after-errors')).toBe(true);
  });

  it('does not storm the API when every watch is cut, abruptly or cleanly, as soon as it opens', async () => {
    h = await harness(api);
    await h.source.start();
    api.clearRequests();

    // A server (or proxy) that cuts every watch at once, for about 1.5 s of each kind.
    for (const graceful of [false, true]) {
      const cutter = setInterval(() => api.dropWatches({ graceful }), 5);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      clearInterval(cutter);
    }
    api.upsert('services', service('shop', 'after-storm', '10.96.0.40'));
    await eventually(() => snapshotMatches(h), 'consistent after the cuts');

    // Without backoff this is hundreds per resource (one every few ms); with it, a handful.
    for (const kind of ['services', 'endpointslices', 'pods', 'nodes'] as const) {
      expect(watchRequests(api, kind), kind).toBeLessThan(40);
      expect(watchRequests(api, kind), kind).toBeGreaterThan(2);
    }
    await eventually(() => h.source.status().state === 'ready', 'ready after the cuts');
  });
});
