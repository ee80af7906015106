import type { Pod } from '@svcpath/core';
import { PHASE_SECONDS } from '@svcpath/demo';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../app.js';
import { StaticClusterSource } from '../../../sources/static-source.test-helpers.js';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

interface PodItem {
  namespace: string;
  name: string;
  node: string | null;
  podIPs: string[];
  ready: boolean;
}

const names = (body: { items: PodItem[] }): string[] => body.items.map((p) => `${p.namespace}/${p.name}`);

async function get(url: string) {
  if (!s) throw new Error('no server');
  const res = await s.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('GET /api/pods', () => {
  it('lists every demo pod, sorted by namespace and name, 50 to a page by default', async () => {
    s = await demoServer();
    const body = await get('/api/pods');
    expect(body).toMatchObject({ total: 23, offset: 0, limit: 50 });
    const all = names(body);
    expect(all).toHaveLength(23);
    expect(all).toEqual(
      [...all].sort((a, b) => {
        const [na = '', pa = ''] = a.split('/');
        const [nb = '', pb = ''] = b.split('/');
        return na === nb ? (pa < pb ? -1 : 1) : na < nb ? -1 : 1;
      }),
    );
    expect(all.slice(-5)).toEqual([
      'kube-system/coredns-5d78c9869d-8wqcv',
      'kube-system/coredns-5d78c9869d-zl6vh',
      'kube-system/kube-proxy-2xk9f',
      'kube-system/kube-proxy-h7m4p',
      'kube-system/kube-proxy-w5q8z',
    ]);
    // kube-proxy runs on the host network: its pod IP is the node's.
    expect(body.items.find((p: PodItem) => p.name === 'kube-proxy-h7m4p')).toMatchObject({
      node: 'node-b',
      podIPs: ['192.168.49.3'],
      hostNetwork: true,
    });
    // A client pod behind no Service is a source like any other.
    expect(body.items.find((p: PodItem) => p.name === 'netshoot')).toMatchObject({
      node: 'node-c',
      podIPs: ['10.40.0.90'],
      hostNetwork: false,
    });
    expect(body.items.find((p: PodItem) => p.name === 'coredns-5d78c9869d-8wqcv')).toEqual({
      namespace: 'kube-system',
      name: 'coredns-5d78c9869d-8wqcv',
      node: 'node-a',
      podIPs: ['10.32.0.3'],
      hostNetwork: false,
      phase: 'Running',
      ready: true,
      labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '5d78c9869d' },
    });
    // Pods no Service selects as ready are listed too: payments never passes its probe.
    expect(body.items.find((p: PodItem) => p.name.startsWith('payments-'))).toMatchObject({
      node: 'node-b',
      ready: false,
      phase: 'Running',
    });
  });

  it('matches every term of q, case-insensitively, in names, IPs and node names', async () => {
    s = await demoServer();
    expect(names(await get('/api/pods?q=NGINX'))).toEqual([
      'default/nginx-deployment-86dcfdf4c6-b7x2p',
      'default/nginx-deployment-86dcfdf4c6-m3c8t',
      'default/nginx-deployment-86dcfdf4c6-q9d4k',
    ]);
    expect(names(await get('/api/pods?q=nginx+node-b'))).toEqual([
      'default/nginx-deployment-86dcfdf4c6-q9d4k',
    ]);
    expect(names(await get('/api/pods?q=%20%2010.32.0.4%20'))).toEqual([
      'default/webapp-7c9f6d5b8-b7x2p',
      'kube-system/coredns-5d78c9869d-zl6vh',
    ]);
    expect(names(await get('/api/pods?q=kube-system/coredns+zl6'))).toEqual([
      'kube-system/coredns-5d78c9869d-zl6vh',
    ]);
    expect(await get('/api/pods?q=nginx+nothing-like-this')).toMatchObject({ items: [], total: 0 });
  });

  it('filters by namespace and node, alone and with q, and pages', async () => {
    s = await demoServer();
    expect(names(await get('/api/pods?namespace=kube-system'))).toEqual([
      'kube-system/coredns-5d78c9869d-8wqcv',
      'kube-system/coredns-5d78c9869d-zl6vh',
      'kube-system/kube-proxy-2xk9f',
      'kube-system/kube-proxy-h7m4p',
      'kube-system/kube-proxy-w5q8z',
    ]);
    expect(await get('/api/pods?namespace=no-such-namespace')).toMatchObject({ items: [], total: 0 });
    const onC = await get('/api/pods?node=node-c');
    expect(onC.items.every((p: PodItem) => p.node === 'node-c')).toBe(true);
    expect(onC.total).toBe(8);
    // A node name inside another's is not that node.
    expect(await get('/api/pods?node=node')).toMatchObject({ total: 0 });
    expect(names(await get('/api/pods?node=node-a&namespace=default&q=hostnames'))).toEqual([
      'default/hostnames-6f7b8d9c5-4xkqz',
    ]);
    const all = names(await get('/api/pods?limit=500'));
    const page = await get('/api/pods?offset=5&limit=4');
    expect(page).toMatchObject({ total: 23, offset: 5, limit: 4 });
    expect(names(page)).toEqual(all.slice(5, 9));
    const searched = await get('/api/pods?q=default&offset=16&limit=10');
    expect(searched).toMatchObject({ total: 18, offset: 16 });
    expect(names(searched)).toEqual(all.slice(16, 18));
    expect(await get('/api/pods?offset=100')).toMatchObject({ items: [], total: 23, offset: 100 });
  });

  it.each([
    ['/api/pods?limit=0', /querystring\/limit must be >= 1/],
    ['/api/pods?limit=501', /querystring\/limit must be <= 500/],
    ['/api/pods?limit=ten', /querystring\/limit must be integer/],
    ['/api/pods?offset=-1', /querystring\/offset must be >= 0/],
    ['/api/pods?offset=1.5', /querystring\/offset must be integer/],
    ['/api/pods?namespace=Not_A_Name', /querystring\/namespace must match pattern/],
    ['/api/pods?node=-node', /querystring\/node must match pattern/],
    [`/api/pods?q=${'x'.repeat(201)}`, /querystring\/q must NOT have more than 200 characters/],
    ['/api/pods?q=a&q=b', /querystring\/q must be string/],
  ])('answers 400 with a message for %s', async (url, message) => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(message);
  });

  it('answers from the new state once the demo timeline moves', async () => {
    s = await demoServer();
    const hostnames = async () =>
      (await get('/api/pods?q=hostnames')).items.map(
        (p: PodItem) => `${p.name} ${p.ready ? 'ready' : 'unready'}`,
      );
    expect(await hostnames()).toEqual([
      'hostnames-6f7b8d9c5-4xkqz ready',
      'hostnames-6f7b8d9c5-9mvtl ready',
      'hostnames-6f7b8d9c5-r2wjd ready',
    ]);
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    expect(await hostnames()).toContain('hostnames-6f7b8d9c5-9mvtl unready');
    // Two phases later the Deployment has scaled to 4: the new replica is listed.
    s.clock.advance(2 * PHASE_SECONDS);
    s.source.tick();
    expect(await hostnames()).toEqual([
      'hostnames-6f7b8d9c5-4xkqz ready',
      'hostnames-6f7b8d9c5-9mvtl ready',
      'hostnames-6f7b8d9c5-k7hsn ready',
      'hostnames-6f7b8d9c5-r2wjd ready',
    ]);
    expect((await get('/api/pods')).total).toBe(24);
  });

  it('lists pods behind no Service, hostNetwork pods and pending pods', async () => {
    const pods: Pod[] = [
      {
        metadata: { name: 'debug-client', namespace: 'tools' },
        spec: { nodeName: 'node-1' },
        status: {
          phase: 'Running',
          podIP: '10.1.0.9',
          podIPs: [{ ip: '10.1.0.9' }, { ip: 'fd00:1::9' }],
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      },
      {
        metadata: { name: 'kube-proxy-x1', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
        spec: { nodeName: 'node-1', hostNetwork: true },
        // Only the singular field, as older API servers write it.
        status: { phase: 'Running', podIP: '192.168.1.10', conditions: [{ type: 'Ready', status: 'False' }] },
      },
      { metadata: { name: 'waiting', namespace: 'tools' }, status: { phase: 'Pending' } },
    ];
    const app = await buildServer({
      source: new StaticClusterSource({ services: [], endpointSlices: [], pods, nodes: [] }),
    });
    const body = (await app.inject({ method: 'GET', url: '/api/pods' })).json();
    expect(body.items).toEqual([
      {
        namespace: 'kube-system',
        name: 'kube-proxy-x1',
        node: 'node-1',
        podIPs: ['192.168.1.10'],
        hostNetwork: true,
        phase: 'Running',
        ready: false,
        labels: { 'k8s-app': 'kube-proxy' },
      },
      {
        namespace: 'tools',
        name: 'debug-client',
        node: 'node-1',
        podIPs: ['10.1.0.9', 'fd00:1::9'],
        hostNetwork: false,
        phase: 'Running',
        ready: true,
        labels: {},
      },
      {
        namespace: 'tools',
        name: 'waiting',
        node: null,
        podIPs: [],
        hostNetwork: false,
        phase: 'Pending',
        ready: false,
        labels: {},
      },
    ]);
    const v6 = (await app.inject({ method: 'GET', url: '/api/pods?q=FD00:1::' })).json();
    expect(v6.items.map((p: PodItem) => p.name)).toEqual(['debug-client']);
    await app.close();
  });

  it('is documented in /api/openapi.json and needs the token when the server has one', async () => {
    s = await demoServer({ authToken: 'pods-token' });
    const doc = await s.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { authorization: 'Bearer pods-token' },
    });
    const op = doc.json().paths['/api/pods']?.get;
    expect(op?.summary).toMatch(/^Pods/);
    expect(op?.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'limit',
      'namespace',
      'node',
      'offset',
      'q',
    ]);
    expect((await s.app.inject({ method: 'GET', url: '/api/pods' })).statusCode).toBe(401);
    const ok = await s.app.inject({
      method: 'GET',
      url: '/api/pods?q=coredns',
      headers: { authorization: 'Bearer pods-token' },
    });
    expect(ok.json().total).toBe(2);
  });
});
