import { afterEach, describe, expect, it } from 'vitest';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

describe('GET /api/status', () => {
  it('reports the demo source, its resources and collectors with the server time', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/status' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.kind).toBe('demo');
    expect(body.state).toBe('ready');
    expect(body.resources.services.count).toBe(14);
    expect(body.resources.nodes.count).toBe(3);
    expect(body.collectors).toContainEqual(expect.objectContaining({ name: 'demo', state: 'ready' }));
    expect(body.now).toBe('2026-01-01T00:00:00.000Z');
  });

  it('rejects a method the route does not have with 404 and a message', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'DELETE', url: '/api/status' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatch(/no route DELETE \/api\/status/);
  });
});

describe('GET /healthz', () => {
  it('answers ok without a token even when auth is on', async () => {
    s = await demoServer({ authToken: 'tok' });
    const res = await s.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('ok\n');
  });
});

describe('GET /api/openapi.json', () => {
  it('documents every /api route', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/status',
      '/api/nodes',
      '/api/nodes/{node}',
      '/api/services',
      '/api/services/{namespace}/{name}',
      '/api/services/{namespace}/{name}/graph',
      '/api/pods',
      '/api/trace',
      '/api/nodes/{node}/dumps/{kind}',
      '/api/nodes/{node}/dumps/{kind}/parsed',
      '/api/nodes/{node}/expected/{kind}',
      '/api/diagnostics',
      '/api/export',
      '/api/events',
    ])
      expect(paths).toContain(p);
  });
});
