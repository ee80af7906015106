import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { startTestApiServer } from './server.js';
import type { TestApiServer } from './types.js';
import { openWatch } from './watch-client.test-helpers.js';

const svc = (name: string, namespace = 'default', clusterIP = '10.96.0.10') => ({
  metadata: { name, namespace },
  spec: { clusterIP, ports: [{ port: 80 }] },
});

interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string };
  items: Array<{ metadata: { name: string; namespace?: string; resourceVersion?: string } }>;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

describe('test-apiserver (Kubernetes API double, not a cluster)', () => {
  let api: TestApiServer;
  beforeEach(async () => {
    api = await startTestApiServer({ historyLimit: 50 });
  });
  afterEach(async () => {
    await api.close();
  });

  it('listens on 127.0.0.1 over plain HTTP', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists all namespaces and one namespace with the current resourceVersion', async () => {
    api.upsert('services', svc('a', 'one'));
    api.upsert('services', svc('b', 'two'));
    const all = await getJson<ListBody>(`${api.url}/api/v1/services`);
    expect(all.status).toBe(200);
    expect(all.body.kind).toBe('ServiceList');
    expect(all.body.metadata.resourceVersion).toBe(api.resourceVersion());
    expect(all.body.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
    const two = await getJson<ListBody>(`${api.url}/api/v1/namespaces/two/services`);
    expect(two.body.items.map((i) => i.metadata.name)).toEqual(['b']);
    const slices = await getJson<ListBody>(`${api.url}/apis/discovery.k8s.io/v1/endpointslices`);
    expect(slices.body).toMatchObject({
      kind: 'EndpointSliceList',
      apiVersion: 'discovery.k8s.io/v1',
      items: [],
    });
  });

  it('reads one ConfigMap and answers 404 with a Status when absent', async () => {
    const path = `${api.url}/api/v1/namespaces/kube-system/configmaps/kube-proxy`;
    const missing = await getJson<{ kind: string; code: number }>(path);
    expect(missing).toMatchObject({ status: 404, body: { kind: 'Status', code: 404 } });
    api.upsert('configmaps', {
      metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      data: { 'config.conf': 'mode: ipvs' },
    });
    const found = await getJson<{ data: Record<string, string> }>(path);
    expect(found.status).toBe(200);
    expect(found.body.data['config.conf']).toBe('mode: ipvs');
  });

  it('streams ADDED, MODIFIED and DELETED after the listed version, in order', async () => {
    api.upsert('services', svc('a'));
    const list = await getJson<ListBody>(`${api.url}/api/v1/services`);
    const watch = await openWatch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${list.body.metadata.resourceVersion}&allowWatchBookmarks=true`,
    );
    api.upsert('services', svc('b'));
    api.upsert('services', svc('a', 'default', '10.96.0.11'));
    api.remove('services', 'default', 'b');
    api.upsert('pods', { metadata: { name: 'not-a-service', namespace: 'default' } });
    const events = await watch.waitFor(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const versions = events.map((e) =>
      Number((e.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion),
    );
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    watch.abort();
  });

  it('replays history between the requested version and now', async () => {
    const rv = api.upsert('services', svc('a'));
    api.upsert('services', svc('b'));
    api.remove('services', 'default', 'a');
    const watch = await openWatch(`${api.url}/api/v1/services?watch=true&resourceVersion=${rv}`);
    const events = await watch.waitFor(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    watch.abort();
  });

  it('without a version, a watch starts with the current objects as ADDED', async () => {
    api.upsert('nodes', { metadata: { name: 'n1' } });
    const watch = await openWatch(`${api.url}/api/v1/nodes?watch=true`);
    const [first] = await watch.waitFor(1);
    expect(first).toMatchObject({ type: 'ADDED', object: { kind: 'Node', metadata: { name: 'n1' } } });
    watch.abort();
  });

  it('answers a too-old version with a 410 Gone ERROR event and closes the stream', async () => {
    const rv = api.upsert('services', svc('a'));
    api.expireHistory();
    const watch = await openWatch(`${api.url}/api/v1/services?watch=true&resourceVersion=${rv}`);
    expect(await watch.ended).toBe('end');
    expect(watch.events).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) },
    ]);
    // A relist hands out a version that can be watched again.
    const list = await getJson<ListBody>(`${api.url}/api/v1/services`);
    const again = await openWatch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    api.upsert('services', svc('z'));
    expect((await again.waitFor(1))[0]?.type).toBe('ADDED');
    again.abort();
  });

  it('answers 410 when the history window has moved past the version', async () => {
    const small = await startTestApiServer({ historyLimit: 3 });
    try {
      const rv = small.upsert('pods', { metadata: { name: 'p0', namespace: 'a' } });
      for (let i = 1; i <= 4; i++) small.upsert('pods', { metadata: { name: `p${i}`, namespace: 'a' } });
      const watch = await openWatch(`${small.url}/api/v1/pods?watch=true&resourceVersion=${rv}`);
      await watch.ended;
      expect(watch.events[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    } finally {
      await small.close();
    }
  });

  it('sends bookmarks only to watches that allowed them', async () => {
    const rv = api.resourceVersion();
    const withBookmarks = await openWatch(
      `${api.url}/api/v1/pods?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
    );
    const without = await openWatch(`${api.url}/api/v1/pods?watch=true&resourceVersion=${rv}`);
    await waitUntil(() => api.openWatches() === 2);
    api.upsert('services', svc('moves-the-version'));
    api.bookmark();
    const [bookmark] = await withBookmarks.waitFor(1);
    expect(bookmark).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Pod', metadata: { resourceVersion: api.resourceVersion() } },
    });
    api.upsert('pods', { metadata: { name: 'p', namespace: 'a' } });
    expect((await without.waitFor(1))[0]?.type).toBe('ADDED');
    withBookmarks.abort();
    without.abort();
  });

  it('answers 403 with a Status for a forbidden kind, for lists and watches', async () => {
    api.setForbidden('pods', true);
    const list = await getJson<{ code: number; reason: string; message: string }>(`${api.url}/api/v1/pods`);
    expect(list).toMatchObject({ status: 403, body: { code: 403, reason: 'Forbidden' } });
    expect(list.body.message).toContain('cannot list resource "pods"');
    const watch = await fetch(`${api.url}/api/v1/pods?watch=true&resourceVersion=1`);
    expect(watch.status).toBe(403);
    await watch.body?.cancel();
    expect((await fetch(`${api.url}/api/v1/services`)).status).toBe(200);
    api.setForbidden('pods', false);
    expect((await fetch(`${api.url}/api/v1/pods`)).status).toBe(200);
  });

  it('answers watches with an ERROR event while a watch error is set, lists still work', async () => {
    api.setWatchError('services', { code: 500, message: 'etcdserver: request timed out' });
    const watch = await openWatch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${api.resourceVersion()}`,
    );
    expect(await watch.ended).toBe('end');
    expect(watch.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 500,
          message: 'etcdserver: request timed out',
        }),
      },
    ]);
    expect((await fetch(`${api.url}/api/v1/services`)).status).toBe(200);
    api.setWatchError('services', undefined);
    const healthy = await openWatch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${api.resourceVersion()}`,
    );
    api.upsert('services', svc('a'));
    expect((await healthy.waitFor(1))[0]?.type).toBe('ADDED');
    healthy.abort();
  });

  it('drops watches abruptly or gracefully on request', async () => {
    const rv = api.resourceVersion();
    const abrupt = await openWatch(`${api.url}/api/v1/services?watch=true&resourceVersion=${rv}`);
    await waitUntil(() => api.openWatches() === 1);
    expect(api.dropWatches()).toBe(1);
    expect(await abrupt.ended).toBe('error');
    const graceful = await openWatch(`${api.url}/api/v1/services?watch=true&resourceVersion=${rv}`);
    await waitUntil(() => api.openWatches() === 1);
    expect(api.dropWatches({ graceful: true })).toBe(1);
    expect(await graceful.ended).toBe('end');
    expect(api.openWatches()).toBe(0);
  });

  it('ends a watch after timeoutSeconds', async () => {
    const watch = await openWatch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${api.resourceVersion()}&timeoutSeconds=1`,
    );
    expect(await watch.ended).toBe('end');
  });

  it('refuses to answer while down, and answers again when back', async () => {
    const watch = await openWatch(
      `${api.url}/api/v1/services?watch=true&resourceVersion=${api.resourceVersion()}`,
    );
    await waitUntil(() => api.openWatches() === 1);
    api.setDown(true);
    expect(await watch.ended).toBe('error');
    await expect(fetch(`${api.url}/api/v1/services`)).rejects.toThrow();
    api.setDown(false);
    expect((await fetch(`${api.url}/api/v1/services`)).status).toBe(200);
  });

  it('holds answers back by the configured latency', async () => {
    api.setLatency(300);
    api.clearRequests();
    const pending = fetch(`${api.url}/api/v1/nodes`);
    await waitUntil(() => api.requests.length === 1);
    expect(api.requests[0]?.status).toBeUndefined();
    expect((await pending).status).toBe(200);
    expect(api.requests[0]?.status).toBe(200);
  });

  it('logs every request with its kind, watch flag, version and status', async () => {
    api.clearRequests();
    await fetch(`${api.url}/api/v1/namespaces/a/pods`);
    const watch = await openWatch(
      `${api.url}/api/v1/pods?watch=true&resourceVersion=${api.resourceVersion()}`,
    );
    watch.abort();
    await fetch(`${api.url}/api/v1/secrets`);
    await fetch(`${api.url}/nothing-here`);
    expect(api.requests.map((r) => [r.kind, r.namespace, r.watch, r.status])).toEqual([
      ['pods', 'a', false, 200],
      ['pods', undefined, true, 200],
      ['secrets', undefined, false, 200],
      [undefined, undefined, false, 404],
    ]);
    expect(api.requests[1]?.resourceVersion).toBe(api.resourceVersion());
  });

  it('is read-only over HTTP', async () => {
    const res = await fetch(`${api.url}/api/v1/namespaces/a/services`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error('condition not reached');
}
