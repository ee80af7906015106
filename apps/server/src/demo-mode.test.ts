// The server in demo mode end to end: graphs, traces and drift over the demo's generated dumps.
import { afterEach, describe, expect, it } from 'vitest';
import { PHASE_SECONDS } from '@svcpath/demo';
import { demoServer, type DemoServer } from './test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

const round = (p: number) => Math.round(p * 1000) / 1000;

interface GraphBody {
  unavailable?: string;
  services: Array<{ service: string; endpoints: Array<{ address: string; probability: number }> }>;
}

async function hostnamesGraph(node: string, view: 'actual' | 'expected'): Promise<GraphBody> {
  const res = await s?.app.inject({
    method: 'GET',
    url: `/api/services/default/hostnames/graph?node=${node}&view=${view}`,
  });
  expect(res?.statusCode).toBe(200);
  return res?.json() as GraphBody;
}

const endpointsOf = (g: GraphBody) =>
  g.services.flatMap((svc) => svc.endpoints.map((e) => [e.address, round(e.probability)])).sort();

const THREE = [
  ['10.32.0.10:9376', 0.333],
  ['10.36.0.10:9376', 0.333],
  ['10.40.0.10:9376', 0.333],
];

describe('demo mode', () => {
  it('shows the hostnames Service on node-a (iptables) with 3 endpoints at 1/3 each', async () => {
    s = await demoServer();
    const g = await hostnamesGraph('node-a', 'actual');
    expect(g.unavailable).toBeUndefined();
    expect(g.services.map((x) => x.service)).toEqual(['default/hostnames:default']);
    expect(endpointsOf(g)).toEqual(THREE);
  });

  it.each(['node-a', 'node-b', 'node-c'])('shows the same on %s, actual and expected', async (node) => {
    s = await demoServer();
    for (const view of ['actual', 'expected'] as const) {
      const g = await hostnamesGraph(node, view);
      expect(g.unavailable, view).toBeUndefined();
      expect(endpointsOf(g), view).toEqual(THREE);
    }
  });

  it.each([
    ['node-a', '10.32.0.40'],
    ['node-b', '10.36.0.40'],
    ['node-c', '10.40.0.40'],
  ])('traces a pod on %s to the hostnames cluster IP: three pods, 1/3 each', async (node, src) => {
    s = await demoServer();
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/trace',
      payload: { node, src, dst: '10.96.0.20', dport: 80, proto: 'tcp' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      outcomes: Array<{ verdict: string; dnat: string | null; probability: number }>;
    };
    const byDnat = new Map<string, number>();
    for (const o of body.outcomes)
      if (o.verdict === 'ACCEPT' && o.dnat) byDnat.set(o.dnat, (byDnat.get(o.dnat) ?? 0) + o.probability);
    expect([...byDnat.entries()].map(([d, p]) => [d, round(p)]).sort()).toEqual(THREE);
  });

  it('makes node-a lag one change behind, so its dataplane differs from the cluster after a change', async () => {
    s = await demoServer();
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    // The cluster now has 2 ready hostnames endpoints: node-c follows, node-a still programs 3.
    expect(endpointsOf(await hostnamesGraph('node-c', 'actual')).map(([a]) => a)).toEqual([
      '10.32.0.10:9376',
      '10.40.0.10:9376',
    ]);
    const traced = async (view: 'actual' | 'expected') => {
      const res = await s?.app.inject({
        method: 'POST',
        url: '/api/trace',
        payload: { node: 'node-a', src: '10.32.0.40', dst: '10.96.0.20', dport: 80, view },
      });
      return (res?.json() as { outcomes: Array<{ dnat: string | null }> }).outcomes
        .flatMap((o) => (o.dnat ? [o.dnat] : []))
        .sort();
    };
    expect(await traced('actual')).toEqual(THREE.map(([a]) => a));
    expect(await traced('expected')).toEqual(['10.32.0.10:9376', '10.40.0.10:9376']);
    const summary = (await s.app.inject({ method: 'GET', url: '/api/services?q=hostnames' })).json();
    expect(summary.items[0].endpoints).toEqual({ ready: 2, total: 3 });
  });

  it("reports no drift at the start and node-a's drift after a change, in nodes, graph and diagnostics", async () => {
    s = await demoServer();
    const drift = async () =>
      (
        (await s?.app.inject({ method: 'GET', url: '/api/nodes' }))?.json().items as Array<{
          name: string;
          drift: number | null;
        }>
      ).map((n) => [n.name, n.drift]);
    expect(await drift()).toEqual([
      ['node-a', 0],
      ['node-b', 0],
      ['node-c', 0],
    ]);
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    expect(await drift()).toEqual([
      ['node-a', 1],
      ['node-b', 0],
      ['node-c', 0],
    ]);
    const graph = (
      await s.app.inject({ method: 'GET', url: '/api/services/default/hostnames/graph?node=node-a' })
    ).json();
    expect(graph.drift).toEqual([
      {
        service: 'default/hostnames:default',
        message: expect.stringMatching(
          /10\.36\.0\.10:9376 is programmed on the node but no longer in the cluster/,
        ),
      },
    ]);
    const diagnostics = (await s.app.inject({ method: 'GET', url: '/api/diagnostics' })).json();
    expect(diagnostics.findings).toContainEqual(
      expect.objectContaining({
        code: 'drift-stale-endpoint',
        node: 'node-a',
        service: 'default/hostnames:default',
        link: '/services/default/hostnames?node=node-a',
      }),
    );
    const listed = (await s.app.inject({ method: 'GET', url: '/api/services?q=hostnames' })).json();
    expect(listed.items[0]).toMatchObject({
      health: 'warning',
      healthReasons: ['1 of 3 endpoints not ready', 'rules differ from the cluster on node-a'],
    });
    const detail = (await s.app.inject({ method: 'GET', url: '/api/services/default/hostnames' })).json();
    expect(detail.findings.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['endpoints-not-ready', 'drift-stale-endpoint']),
    );
  });

  it('finds a rule-level difference in an uploaded dump that the graph alone would not show', async () => {
    s = await demoServer();
    const text = (await s.app.inject({ method: 'GET', url: '/api/nodes/node-a/dumps/iptables' })).body;
    // Drop the masquerade rule of one kube-dns endpoint chain (hairpin traffic would break).
    const edited = text
      .split('\n')
      .filter((l) => !/-A KUBE-SEP-S4MK5EVI7CLHCCS6 -s 10\.32\.0\.3\/32/.test(l))
      .join('\n');
    expect(edited.length).toBeLessThan(text.length);
    const put = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-a/dumps/iptables',
      payload: edited,
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.statusCode).toBe(200);
    const graph = (
      await s.app.inject({ method: 'GET', url: '/api/services/kube-system/kube-dns/graph?node=node-a' })
    ).json();
    expect(graph.drift).toEqual([
      {
        service: 'kube-system/kube-dns:dns-tcp',
        message: expect.stringMatching(/nat chain KUBE-SEP-S4MK5EVI7CLHCCS6: 1 expected rule\(s\) missing/),
      },
    ]);
  });
});
