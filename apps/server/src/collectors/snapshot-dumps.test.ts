import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer, writeServerSnapshot } from '../app.js';
import { SnapshotClusterSource } from '../sources/snapshot.js';
import { demoServer } from '../test-support/demo-server.test-helpers.js';
import { DumpStore } from '../services/dump-store.js';
import { SnapshotDumpsCollector } from './snapshot-dumps.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('snapshot round trip', () => {
  it('serves what a demo server exported: same Services, node modes, dumps and graphs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'svcpath-snap-'));
    const demo = await demoServer();
    await writeServerSnapshot(demo.app, dir);
    await demo.app.close();

    const app = await buildServer({ source: new SnapshotClusterSource(dir) });
    const status = (await app.inject({ method: 'GET', url: '/api/status' })).json();
    expect(status).toMatchObject({ kind: 'snapshot', state: 'ready' });
    expect(status.collectors).toContainEqual(
      expect.objectContaining({ name: 'snapshot', state: 'ready', message: '5 dump(s) for 3 node(s)' }),
    );
    const nodes = (await app.inject({ method: 'GET', url: '/api/nodes' })).json().items;
    expect(
      nodes.map((n: { name: string; mode: string; drift: number }) => [n.name, n.mode, n.drift]),
    ).toEqual([
      ['node-a', 'iptables', 0],
      ['node-b', 'nftables', 0],
      ['node-c', 'ipvs', 0],
    ]);
    expect(nodes[0].dumps[0]).toMatchObject({
      kind: 'iptables',
      source: 'snapshot',
      collectedAt: '2026-01-01T00:00:00.000Z',
    });
    expect((await app.inject({ method: 'GET', url: '/api/services' })).json().total).toBe(14);
    const graph = (
      await app.inject({ method: 'GET', url: '/api/services/default/hostnames/graph?node=node-b' })
    ).json();
    expect(graph.services[0].endpoints).toHaveLength(3);
    await app.close();
  });

  it('recognises dump files without a manifest by name or content, and names the ones it cannot', async () => {
    dir = await mkdtemp(join(tmpdir(), 'svcpath-snap-'));
    await mkdir(join(dir, 'nodes', 'n1'), { recursive: true });
    await writeFile(join(dir, 'nodes', 'n1', 'iptables-save.txt'), '*nat\nCOMMIT\n');
    await writeFile(
      join(dir, 'nodes', 'n1', 'whatever.out'),
      'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536\n',
    );
    await writeFile(join(dir, 'nodes', 'n1', 'notes.md'), 'hello\n');
    const dumps = new DumpStore();
    const c = new SnapshotDumpsCollector(dir, dumps);
    await c.start();
    expect(dumps.forNode('n1').map((d) => d.kind)).toEqual(['iptables', 'ipset']);
    expect(c.status().message).toMatch(/not recognised: nodes\/n1\/notes.md/);
  });
});
