import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../app.js';
import { StaticClusterSource } from '../../../sources/static-source.test-helpers.js';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';
import type { Service } from '@svcpath/core';
import { PHASE_SECONDS } from '@svcpath/demo';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

describe('GET /api/services', () => {
  it('lists every demo Service sorted, with endpoint counts and health', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/services' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(14);
    expect(body.namespaces).toEqual(['default', 'kube-system']);
    const hostnames = body.items.find((i: { name: string }) => i.name === 'hostnames');
    expect(hostnames).toMatchObject({
      namespace: 'default',
      type: 'ClusterIP',
      clusterIP: '10.96.0.20',
      endpoints: { ready: 3, total: 3 },
      health: 'ok',
    });
    expect(hostnames.ports).toEqual([
      { name: 'default', protocol: 'TCP', port: 80, targetPort: 9376, nodePort: null },
    ]);
    expect(body.items.find((i: { name: string }) => i.name === 'payments')).toMatchObject({
      health: 'error',
      endpoints: { ready: 0, total: 1 },
    });
    expect(body.items.find((i: { name: string }) => i.name === 'my-database')).toMatchObject({
      type: 'ExternalName',
      externalName: 'db.example.com',
      clusterIP: null,
    });
    expect(body.items.find((i: { name: string }) => i.name === 'webapp-headless')).toMatchObject({
      headless: true,
      clusterIP: 'None',
    });
  });

  it('filters by namespace, type and text, and pages', async () => {
    s = await demoServer();
    const ns = (await s.app.inject({ method: 'GET', url: '/api/services?namespace=kube-system' })).json();
    expect(ns.items.map((i: { name: string }) => i.name)).toEqual(['kube-dns']);
    const lb = (await s.app.inject({ method: 'GET', url: '/api/services?type=LoadBalancer' })).json();
    expect(lb.items.map((i: { name: string }) => i.name)).toEqual(['myapp-lb']);
    expect(lb.items[0].loadBalancerIPs).toEqual(['198.51.100.8']);
    const q = (await s.app.inject({ method: 'GET', url: '/api/services?q=10.96.0.10' })).json();
    expect(q.items.map((i: { name: string }) => i.name)).toEqual(['kube-dns']);
    const page = (await s.app.inject({ method: 'GET', url: '/api/services?offset=2&limit=3' })).json();
    expect(page).toMatchObject({ total: 14, offset: 2, limit: 3 });
    expect(page.items).toHaveLength(3);
  });

  it.each([
    ['/api/services?limit=0', /querystring\/limit must be >= 1/],
    ['/api/services?offset=-1', /querystring\/offset must be >= 0/],
    ['/api/services?type=Weird', /querystring\/type/],
    ['/api/services?namespace=NotAName', /querystring\/namespace must match pattern/],
  ])('answers 400 with a message for %s', async (url, message) => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(message);
  });

  it('lists 10,000 Services and filters them from precomputed summaries', async () => {
    const services: Service[] = Array.from({ length: 10_000 }, (_, i) => ({
      metadata: { name: `svc-${i}`, namespace: `ns-${i % 50}` },
      spec: {
        clusterIP: `10.100.${Math.floor(i / 250)}.${i % 250}`,
        selector: { app: `a${i}` },
        ports: [{ name: 'http', port: 80 }],
      },
    }));
    const app = await buildServer({
      source: new StaticClusterSource({ services, endpointSlices: [], pods: [], nodes: [] }),
    });
    const all = (await app.inject({ method: 'GET', url: '/api/services?limit=50' })).json();
    expect(all.total).toBe(10_000);
    expect(all.items).toHaveLength(50);
    const one = (await app.inject({ method: 'GET', url: '/api/services?q=svc-9999' })).json();
    expect(one.items.map((i: { name: string }) => i.name)).toEqual(['svc-9999']);
    // Namespace, text and type together; later pages of the same question.
    const url = '/api/services?namespace=ns-7&q=svc-1+http&type=ClusterIP&limit=10';
    const first = (await app.inject({ method: 'GET', url })).json();
    const expected = services
      .filter((x) => x.metadata.namespace === 'ns-7' && x.metadata.name.startsWith('svc-1'))
      .map((x) => x.metadata.name)
      .sort();
    expect(first.total).toBe(expected.length);
    expect(first.items.map((i: { name: string }) => i.name)).toEqual(expected.slice(0, 10));
    const second = (await app.inject({ method: 'GET', url: `${url}&offset=10` })).json();
    expect(second.items.map((i: { name: string }) => i.name)).toEqual(expected.slice(10, 20));
    await app.close();
  });

  it('answers a repeated question from the new state once the cluster changes', async () => {
    s = await demoServer();
    const hostnames = async () =>
      (await s?.app.inject({ method: 'GET', url: '/api/services?q=hostnames' }))?.json().items[0].endpoints;
    expect(await hostnames()).toEqual({ ready: 3, total: 3 });
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    expect(await hostnames()).toEqual({ ready: 2, total: 3 });
  });
});

describe('GET /api/services/:namespace/:name', () => {
  it('describes a Service with endpoints, DNS, env and findings', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/services/default/webapp' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary.name).toBe('webapp');
    expect(body.description.join(' ')).toMatch(/Selects pods labelled app=webapp/);
    expect(body.endpoints.map((e: { address: string }) => e.address).sort()).toEqual([
      '10.32.0.40',
      '10.40.0.40',
    ]);
    expect(body.dns).toContainEqual({
      type: 'A',
      name: 'webapp.default.svc.cluster.local',
      value: '10.96.0.50',
    });
    expect(body.dns).toContainEqual(
      expect.objectContaining({ type: 'SRV', name: '_http._tcp.webapp.default.svc.cluster.local' }),
    );
    expect(body.env).toContainEqual({ name: 'WEBAPP_SERVICE_HOST', value: '10.96.0.50' });
    expect(body.env).toContainEqual({ name: 'WEBAPP_PORT_8080_TCP_ADDR', value: '10.96.0.50' });
  });

  it('resolves the named target port per pod', async () => {
    s = await demoServer();
    const body = (await s.app.inject({ method: 'GET', url: '/api/services/default/shop' })).json();
    const http = body.endpoints
      .filter((e: { portName: string }) => e.portName === 'http')
      .map((e: { address: string; port: number }) => `${e.address}:${e.port}`);
    expect(http.sort()).toEqual(['10.36.0.80:8080', '10.40.0.80:8081']);
  });

  it('reports a Service without ready endpoints as an error finding', async () => {
    s = await demoServer();
    const body = (await s.app.inject({ method: 'GET', url: '/api/services/default/payments' })).json();
    expect(body.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'no-endpoints', service: 'default/payments' }),
    );
  });

  it('answers 404 for an unknown Service', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/services/default/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'unknown service default/nope' });
  });

  it('answers 400 for an invalid namespace', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/services/UPPER/x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/params\/namespace/);
  });
});

describe('GET /api/services/:namespace/:name/graph', () => {
  it('answers 404 for an unknown Service or node and 400 for a bad view', async () => {
    s = await demoServer();
    expect((await s.app.inject({ method: 'GET', url: '/api/services/default/nope/graph' })).statusCode).toBe(
      404,
    );
    const node = await s.app.inject({
      method: 'GET',
      url: '/api/services/default/hostnames/graph?node=node-z',
    });
    expect(node.statusCode).toBe(404);
    expect(node.json().error).toBe('unknown node node-z');
    const view = await s.app.inject({
      method: 'GET',
      url: '/api/services/default/hostnames/graph?view=both',
    });
    expect(view.statusCode).toBe(400);
    expect(view.json().error).toMatch(/querystring\/view/);
  });

  it('answers with the graph first when drift would take long, and with the drift once computed', async () => {
    s = await demoServer({ limits: { driftBudgetMs: 0 } });
    s.clock.advance(PHASE_SECONDS);
    s.source.tick(); // node-a lags one change: its hostnames rules drift
    const url = '/api/services/default/hostnames/graph?node=node-a';
    const first = (await s.app.inject({ method: 'GET', url })).json();
    expect(first).toMatchObject({ node: 'node-a', view: 'actual', driftPending: true });
    expect(first.services[0].endpoints).toHaveLength(3);
    expect(first.drift).toBeUndefined();
    let later = first;
    for (let i = 0; i < 50 && later.driftPending; i++) {
      await new Promise((r) => setImmediate(r));
      later = (await s.app.inject({ method: 'GET', url })).json();
    }
    expect(later.driftPending).toBeUndefined();
    expect(later.drift).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/10\.36\.0\.10:9376 is programmed on the node/),
      }),
    ]);
  });

  it('serves the IPVS graph of node-c with the Service name and its endpoints', async () => {
    s = await demoServer();
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/services/default/hostnames/graph?node=node-c&view=expected',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ node: 'node-c', view: 'expected', mode: 'ipvs' });
    expect(body.unavailable).toBeUndefined();
    expect(body.services[0].service).toBe('default/hostnames:default');
    expect(body.services[0].endpoints).toHaveLength(3);
  });
});
