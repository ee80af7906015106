// The server's current state as a snapshot bundle, and writing a bundle out as a directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import type { ClusterModel } from '../services/cluster-model.js';
import {
  CLUSTER_FILE,
  DUMP_FILE_NAMES,
  MANIFEST_FILE,
  SNAPSHOT_FORMAT,
  type SnapshotBundle,
  type SnapshotManifest,
} from './layout.js';

export function snapshotBundle(model: ClusterModel, now: Date): SnapshotBundle {
  const c = model.cluster;
  const withKind = <T extends object>(kind: string, apiVersion: string, items: readonly T[]) =>
    items.map((o) => ({ apiVersion, kind, ...o }));
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      ...withKind('Service', 'v1', c.services),
      ...withKind('EndpointSlice', 'discovery.k8s.io/v1', c.endpointSlices),
      ...withKind('Pod', 'v1', c.pods),
      ...withKind('Node', 'v1', c.nodes),
    ],
  };
  const files: Record<string, string> = { [CLUSTER_FILE]: `${JSON.stringify(list, null, 2)}\n` };
  const manifest: SnapshotManifest = { format: SNAPSHOT_FORMAT, exportedAt: now.toISOString(), nodes: {} };
  const nodeNames = new Set([...model.nodeNames(), ...model.dumps.nodes()]);
  for (const node of nodeNames) {
    const entry: SnapshotManifest['nodes'][string] = { dumps: {} };
    const settings = model.settings(node);
    if (settings) entry.proxySettings = settings.settings;
    for (const d of model.dumps.forNode(node)) {
      const file = `nodes/${node}/${DUMP_FILE_NAMES[d.kind]}`;
      files[file] = d.text;
      entry.dumps[d.kind] = { file, collectedAt: d.collectedAt.toISOString(), source: d.source };
    }
    manifest.nodes[node] = entry;
  }
  files[MANIFEST_FILE] = `${JSON.stringify(manifest, null, 2)}\n`;
  return { format: SNAPSHOT_FORMAT, exportedAt: manifest.exportedAt, files };
}

/** Writes a bundle (from /api/export or `snapshotBundle`) as a snapshot directory. */
export async function writeSnapshotBundle(bundle: SnapshotBundle, dir: string): Promise<string[]> {
  const root = normalize(dir);
  const written: string[] = [];
  for (const [rel, content] of Object.entries(bundle.files)) {
    const target = normalize(join(root, rel));
    // A bundle is data from a server: never let a path leave the directory.
    if (
      rel.startsWith('/') ||
      rel.split(/[\\/]/).includes('..') ||
      !(target === root || target.startsWith(root.endsWith(sep) ? root : root + sep))
    )
      throw new Error(`refusing to write ${rel} outside ${dir}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(target);
  }
  return written;
}

/** The model's state written as a snapshot directory. */
export async function writeSnapshot(
  model: ClusterModel,
  dir: string,
  now: Date = new Date(),
): Promise<string[]> {
  return writeSnapshotBundle(snapshotBundle(model, now), dir);
}

/** Fetches /api/export from a running server and writes the snapshot directory (for the CLI). */
export async function downloadSnapshot(
  serverUrl: string,
  dir: string,
  opts: { token?: string; timeoutMs?: number } = {},
): Promise<string[]> {
  const url = new URL('/api/export', serverUrl);
  const res = await fetch(url, {
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
  });
  if (!res.ok) throw new Error(`${url.href} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const bundle = (await res.json()) as SnapshotBundle;
  if (bundle.format !== SNAPSHOT_FORMAT || typeof bundle.files !== 'object')
    throw new Error(`${url.href} did not return a ${SNAPSHOT_FORMAT} bundle`);
  return writeSnapshotBundle(bundle, dir);
}
