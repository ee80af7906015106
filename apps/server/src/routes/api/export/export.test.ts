import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeServerSnapshot } from '../../../app.js';
import { writeSnapshotBundle } from '../../../snapshot/export.js';
import { SNAPSHOT_FORMAT, type SnapshotBundle } from '../../../snapshot/layout.js';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('GET /api/export', () => {
  it('bundles cluster.json, the manifest and every node dump', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/export' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const bundle = res.json() as SnapshotBundle;
    expect(bundle.format).toBe(SNAPSHOT_FORMAT);
    const cluster = JSON.parse(bundle.files['cluster.json'] ?? '{}') as {
      kind: string;
      items: Array<{ kind: string; metadata: { name: string } }>;
    };
    expect(cluster.kind).toBe('List');
    expect(cluster.items.filter((i) => i.kind === 'Service')).toHaveLength(14);
    expect(cluster.items.filter((i) => i.kind === 'Node').map((n) => n.metadata.name)).toEqual([
      'node-a',
      'node-b',
      'node-c',
    ]);
    expect(bundle.files['nodes/node-a/iptables-save.txt']).toMatch(/KUBE-SVC-ODX2UBAZM7RQWOIU/);
    const manifest = JSON.parse(bundle.files['svcpath-snapshot.json'] ?? '{}');
    expect(manifest.nodes['node-b'].proxySettings.mode).toBe('nftables');
    expect(manifest.nodes['node-a'].dumps.iptables).toMatchObject({
      file: 'nodes/node-a/iptables-save.txt',
      source: 'demo',
    });
  });

  it('writes the same directory from the running server and from a downloaded bundle', async () => {
    s = await demoServer();
    dir = await mkdtemp(join(tmpdir(), 'svcpath-export-'));
    await writeServerSnapshot(s.app, join(dir, 'a'));
    const bundle = (await s.app.inject({ method: 'GET', url: '/api/export' })).json() as SnapshotBundle;
    await writeSnapshotBundle(bundle, join(dir, 'b'));
    for (const f of ['cluster.json', 'nodes/node-a/iptables-save.txt'])
      expect(await readFile(join(dir, 'a', f), 'utf8')).toBe(await readFile(join(dir, 'b', f), 'utf8'));
  });

  it('refuses a bundle whose paths leave the directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'svcpath-export-'));
    const evil: SnapshotBundle = { format: SNAPSHOT_FORMAT, exportedAt: '', files: { '../escape.txt': 'x' } };
    await expect(writeSnapshotBundle(evil, join(dir, 'x'))).rejects.toThrow(/outside/);
  });
});
