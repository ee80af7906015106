import { afterEach, describe, expect, it } from 'vitest';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

const GOOD = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':KUBE-SERVICES - [0:0]',
  '[5:300] -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  'COMMIT',
  '',
].join('\n');

describe('PUT /api/nodes/:node/dumps/:kind', () => {
  it('stores a dump that parses and serves it back raw and parsed', async () => {
    s = await demoServer();
    const put = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-b/dumps/iptables',
      payload: GOOD,
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      node: 'node-b',
      info: { kind: 'iptables', source: 'upload', lines: 5, stale: false },
    });

    const raw = await s.app.inject({ method: 'GET', url: '/api/nodes/node-b/dumps/iptables' });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^text\/plain/);
    expect(raw.body).toBe(GOOD);

    const parsed = await s.app.inject({ method: 'GET', url: '/api/nodes/node-b/dumps/iptables/parsed' });
    expect(parsed.statusCode).toBe(200);
    const nat = parsed.json().tables.find((t: { name: string }) => t.name === 'nat');
    const pre = nat.chains.find((c: { name: string }) => c.name === 'PREROUTING');
    expect(pre).toMatchObject({ policy: 'ACCEPT', hook: 'PREROUTING' });
    expect(pre.rules[0]).toMatchObject({
      index: 1,
      line: 4,
      target: 'KUBE-SERVICES',
      packets: 5,
      bytes: 300,
    });
  });

  it('accepts any content type as text (curl --data-binary, octet-stream)', async () => {
    s = await demoServer();
    for (const type of [
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      'application/json',
    ]) {
      const res = await s.app.inject({
        method: 'PUT',
        url: '/api/nodes/node-b/dumps/iptables',
        payload: GOOD,
        headers: { 'content-type': type },
      });
      expect(res.statusCode, type).toBe(200);
    }
  });

  it('answers 422 with the line of the first error for a dump that does not parse', async () => {
    s = await demoServer();
    const res = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-b/dumps/iptables',
      payload: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j\nCOMMIT\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: expect.stringMatching(/does not parse at line 3: .*-j without a target name/),
      line: 3,
    });
    // Nothing was stored.
    expect((await s.app.inject({ method: 'GET', url: '/api/nodes/node-b/dumps/iptables' })).statusCode).toBe(
      404,
    );
  });

  it('keeps a damaged dump with its issues when asked to (?partial=true)', async () => {
    s = await demoServer();
    const res = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-b/dumps/ipvs?partial=true',
      payload: 'garbage here\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().info.issues[0]).toMatchObject({ severity: 'error', line: 1 });
  });

  it('answers 413 with the limit for a dump that is too large', async () => {
    s = await demoServer({ limits: { dumpBytes: 1024 } });
    const res = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-b/dumps/iptables',
      payload: `# ${'x'.repeat(4096)}\n`,
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatch(/larger than the limit of 1 KB/);
  });

  it('answers 404 for an unknown node and 400 for an unknown kind', async () => {
    s = await demoServer();
    const node = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-z/dumps/iptables',
      payload: GOOD,
      headers: { 'content-type': 'text/plain' },
    });
    expect(node.statusCode).toBe(404);
    expect(node.json()).toEqual({ error: 'unknown node node-z' });
    const kind = await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-b/dumps/pf',
      payload: GOOD,
      headers: { 'content-type': 'text/plain' },
    });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().error).toMatch(/params\/kind/);
  });

  it('rate limits uploads with 429', async () => {
    s = await demoServer({ limits: { uploadsPerMinute: 2 } });
    const put = () =>
      s?.app.inject({
        method: 'PUT',
        url: '/api/nodes/node-b/dumps/iptables',
        payload: GOOD,
        headers: { 'content-type': 'text/plain' },
      });
    expect((await put())?.statusCode).toBe(200);
    expect((await put())?.statusCode).toBe(200);
    const third = await put();
    expect(third?.statusCode).toBe(429);
    expect(third?.json().error).toMatch(/rate limit/i);
  });

  it("shows an upload in the node's dump list", async () => {
    s = await demoServer();
    await s.app.inject({
      method: 'PUT',
      url: '/api/nodes/node-b/dumps/iptables',
      payload: GOOD,
      headers: { 'content-type': 'text/plain' },
    });
    const node = (await s.app.inject({ method: 'GET', url: '/api/nodes/node-b' })).json();
    expect(node.dumps.map((d: { kind: string; source: string }) => `${d.kind}:${d.source}`)).toContain(
      'iptables:upload',
    );
  });
});

describe('GET /api/nodes/:node/dumps/:kind', () => {
  it('serves the demo dump of node-a as iptables-save -c text', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/nodes/node-a/dumps/iptables' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /^\[\d+:\d+\] -A KUBE-SERVICES -d 10\.96\.0\.20\/32 .*-j KUBE-SVC-ODX2UBAZM7RQWOIU$/m,
    );
  });

  it('answers 404 when the node has no dump of that kind, and for unknown nodes', async () => {
    s = await demoServer();
    const none = await s.app.inject({ method: 'GET', url: '/api/nodes/node-a/dumps/ipset' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({ error: 'node node-a has no ipset dump' });
    expect(
      (await s.app.inject({ method: 'GET', url: '/api/nodes/nope/dumps/ipset/parsed' })).statusCode,
    ).toBe(404);
    expect(
      (await s.app.inject({ method: 'GET', url: '/api/nodes/node-a/dumps/ipset/parsed' })).statusCode,
    ).toBe(404);
    expect(
      (await s.app.inject({ method: 'GET', url: '/api/nodes/node-a/dumps/bogus/parsed' })).statusCode,
    ).toBe(400);
  });
});

describe('GET /api/nodes/:node/expected/:kind', () => {
  it("serves the generated rules for the node's mode and says which kinds the mode does not write", async () => {
    s = await demoServer();
    const nft = await s.app.inject({ method: 'GET', url: '/api/nodes/node-b/expected/nft' });
    expect(nft.statusCode).toBe(200);
    expect(nft.body).toMatch(/table ip kube-proxy/);
    const ipset = await s.app.inject({ method: 'GET', url: '/api/nodes/node-c/expected/ipset' });
    expect(ipset.statusCode).toBe(200);
    expect(ipset.body).toMatch(/KUBE-CLUSTER-IP/);
    const none = await s.app.inject({ method: 'GET', url: '/api/nodes/node-b/expected/ipvs' });
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toBe('kube-proxy in nftables mode writes no ipvs rules on node node-b');
    expect((await s.app.inject({ method: 'GET', url: '/api/nodes/nope/expected/nft' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/api/nodes/node-b/expected/pf' })).statusCode).toBe(
      400,
    );
  });
});
