import { afterEach, describe, expect, it } from 'vitest';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

describe('GET /api/nodes', () => {
  it('lists the three demo nodes with their mode from kube-proxy config, IPs, zone and dumps', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/nodes' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      name: string;
      mode: string;
      modeSource: string;
      ips: string[];
      zone: string;
      dumps: Array<{ kind: string; source: string; stale: boolean }>;
    }>;
    expect(items.map((n) => [n.name, n.mode, n.modeSource])).toEqual([
      ['node-a', 'iptables', 'kube-proxy config'],
      ['node-b', 'nftables', 'kube-proxy config'],
      ['node-c', 'ipvs', 'kube-proxy config'],
    ]);
    expect(items[0]?.ips).toEqual(['192.168.49.2']);
    expect(items[0]?.zone).toBe('zone-a');
    expect(items[0]?.dumps).toContainEqual(
      expect.objectContaining({ kind: 'iptables', source: 'demo', stale: false }),
    );
  });
});

describe('drift of many nodes within a time budget', () => {
  it('answers at once with drift pending, computes it in the background and announces each node', async () => {
    // A zero budget stands for a cluster whose expected rules take seconds per node.
    s = await demoServer({ limits: { driftBudgetMs: 0 } });
    const res = await s.app.inject({ method: 'GET', url: '/api/nodes' });
    const first = res.json().items as Array<{ name: string; drift: number | null; driftPending?: boolean }>;
    expect(first.map((n) => [n.name, n.drift, n.driftPending])).toEqual([
      ['node-a', null, true],
      ['node-b', null, true],
      ['node-c', null, true],
    ]);
    const diagnostics = (await s.app.inject({ method: 'GET', url: '/api/diagnostics' })).json();
    expect(diagnostics.findings.filter((f: { code: string }) => f.code === 'drift-pending')).toHaveLength(3);
    // The background takes one node per turn of the event loop.
    const nodes = async () =>
      ((await s?.app.inject({ method: 'GET', url: '/api/nodes' }))?.json().items ?? []) as Array<{
        name: string;
        drift: number | null;
        driftPending?: boolean;
      }>;
    for (let i = 0; i < 100 && (await nodes()).some((n) => n.driftPending); i++)
      await new Promise((r) => setImmediate(r));
    expect((await nodes()).map((n) => [n.name, n.drift, n.driftPending])).toEqual([
      ['node-a', 0, undefined],
      ['node-b', 0, undefined],
      ['node-c', 0, undefined],
    ]);
  });
});

describe('GET /api/nodes/:node', () => {
  it('returns one node', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/nodes/node-c' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'node-c', mode: 'ipvs', ready: true });
  });

  it('answers 404 for an unknown node', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/nodes/node-z' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'unknown node node-z' });
  });

  it('answers 400 for a name that is not a Kubernetes name', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/nodes/Bad_Name' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/params\/node must match pattern/);
  });
});
