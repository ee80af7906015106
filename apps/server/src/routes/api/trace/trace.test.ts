import { afterEach, describe, expect, it } from 'vitest';
import { PHASE_SECONDS } from '@svcpath/demo';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

const post = (payload: object) => s?.app.inject({ method: 'POST', url: '/api/trace', payload });

describe('POST /api/trace', () => {
  it('traces a pod-to-Service connection on node-a to the three hostnames pods at 1/3 each', async () => {
    s = await demoServer();
    const res = await post({ node: 'node-a', src: '10.32.0.40', dst: '10.96.0.20', dport: 80, proto: 'tcp' });
    expect(res?.statusCode).toBe(200);
    const body = res?.json();
    expect(body).toMatchObject({
      node: 'node-a',
      view: 'actual',
      mode: 'iptables',
      packet: { startHook: 'PREROUTING' },
    });
    const dnat = body.outcomes
      .map((o: { dnat: string; probability: number }) => [o.dnat, Math.round(o.probability * 1000) / 1000])
      .sort();
    expect(dnat).toEqual([
      ['10.32.0.10:9376', 0.333],
      ['10.36.0.10:9376', 0.333],
      ['10.40.0.10:9376', 0.333],
    ]);
    expect(body.outcomes[0].path).toContainEqual(
      expect.objectContaining({
        table: 'nat',
        chain: 'KUBE-SERVICES',
        text: expect.stringMatching(/^-A KUBE-SERVICES -d 10\.96\.0\.20\/32 .*-j KUBE-SVC-ODX2UBAZM7RQWOIU$/),
      }),
    );
  });

  it('starts at OUTPUT when the source is the node itself', async () => {
    s = await demoServer();
    const body = (
      await post({ node: 'node-a', src: '192.168.49.2', dst: '10.96.0.10', dport: 53, proto: 'udp' })
    )?.json();
    expect(body.packet.startHook).toBe('OUTPUT');
    expect(body.outcomes.map((o: { dnat: string }) => o.dnat).sort()).toEqual([
      '10.32.0.3:53',
      '10.32.0.4:53',
    ]);
  });

  it('traces the expected rules when asked, and says when a node has no dump to trace', async () => {
    s = await demoServer();
    const expected = await post({
      node: 'node-a',
      src: '10.32.0.40',
      dst: '10.96.0.20',
      dport: 80,
      view: 'expected',
    });
    expect(expected?.statusCode).toBe(200);
    expect(expected?.json().view).toBe('expected');
    const none = await post({
      node: 'node-b',
      src: '10.36.0.40',
      dst: '10.96.0.20',
      dport: 80,
      view: 'actual',
    });
    expect([409, 200]).toContain(none?.statusCode);
  });

  it('answers a repeated question the same way until the node changes, then from the new state', async () => {
    s = await demoServer();
    const dnats = async (node: string) =>
      (
        (await post({ node, src: '10.32.0.40', dst: '10.96.0.20', dport: 80 }))?.json() as {
          outcomes: Array<{ dnat: string | null }>;
        }
      ).outcomes
        .flatMap((o) => (o.dnat ? [o.dnat] : []))
        .sort();
    const three = ['10.32.0.10:9376', '10.36.0.10:9376', '10.40.0.10:9376'];
    expect(await dnats('node-c')).toEqual(three);
    expect(await dnats('node-c')).toEqual(three);
    // One hostnames pod turns unready: node-c's dump follows the cluster at once.
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    expect(await dnats('node-c')).toEqual(['10.32.0.10:9376', '10.40.0.10:9376']);
  });

  it.each([
    [{ src: '10.0.0.1', dst: '10.96.0.20', dport: 80 }, /body must have required property 'node'/],
    [{ node: 'node-a', src: '10.0.0.1', dst: '10.96.0.20', dport: 70000 }, /body\/dport must be <= 65535/],
    [{ node: 'node-a', src: 'not an ip', dst: '10.96.0.20', dport: 80 }, /body\/src must match pattern/],
    [{ node: 'node-a', src: '10.0.0.1', dst: '10.96.0.20', dport: 80, proto: 'icmp' }, /body\/proto/],
    [
      { node: 'node-a', src: '10.0.0.1', dst: '10.96.0.20', dport: 80, extra: 1 },
      /must NOT have additional properties/,
    ],
  ])('answers 400 for %j', async (payload, message) => {
    s = await demoServer();
    const res = await post(payload);
    expect(res?.statusCode).toBe(400);
    expect(res?.json().error).toMatch(message);
  });

  it('answers 404 for an unknown node', async () => {
    s = await demoServer();
    const res = await post({ node: 'node-z', src: '10.0.0.1', dst: '10.96.0.20', dport: 80 });
    expect(res?.statusCode).toBe(404);
    expect(res?.json()).toEqual({ error: 'unknown node node-z' });
  });

  it('answers 400 for a body that is not JSON', async () => {
    s = await demoServer();
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/trace',
      payload: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/JSON/i);
  });
});
