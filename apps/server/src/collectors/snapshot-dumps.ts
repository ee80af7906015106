// The dumps of a snapshot directory (nodes/<node>/<file>), read once. Files are recognised by the
// manifest /api/export writes, by their usual names, or else by their content (core's detector).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { detectDumpFormat } from '@svcpath/core';
import type { DumpKind, ProxySettings } from '@svcpath/core';
import type { DumpStore } from '../services/dump-store.js';
import { DUMP_FILE_NAMES, MANIFEST_FILE, type SnapshotManifest } from '../snapshot/layout.js';
import type { Collector, CollectorStatus } from './types.js';

const KIND_BY_FILE = new Map(Object.entries(DUMP_FILE_NAMES).map(([kind, file]) => [file, kind as DumpKind]));

/** Content kinds (core's detector) → the dump kinds the server stores. */
function kindFromContent(text: string): DumpKind | null {
  const k = detectDumpFormat(text);
  if (k === 'nft-json') return 'nft';
  return k === 'unknown' ? null : k;
}

export class SnapshotDumpsCollector implements Collector {
  readonly name = 'snapshot';
  private state: CollectorStatus = { name: this.name, state: 'syncing' };
  private settings: Record<string, ProxySettings> = {};

  constructor(
    private readonly dir: string,
    private readonly dumps: DumpStore,
  ) {}

  async start(): Promise<void> {
    const manifest = await this.readManifest();
    let count = 0;
    const skipped: string[] = [];
    let nodes: string[];
    try {
      nodes = (await readdir(join(this.dir, 'nodes'), { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      this.state = {
        name: this.name,
        state: 'ready',
        message: `no nodes/ folder in ${this.dir}: only expected rules can be shown`,
      };
      return;
    }
    for (const node of nodes) {
      const m = manifest?.nodes[node];
      if (m?.proxySettings?.mode) this.settings[node] = m.proxySettings as ProxySettings;
      for (const file of await readdir(join(this.dir, 'nodes', node))) {
        const path = join(this.dir, 'nodes', node, file);
        const text = await readFile(path, 'utf8');
        const fromManifest = Object.entries(m?.dumps ?? {}).find(
          ([, d]) => d?.file === `nodes/${node}/${file}`,
        );
        const kind =
          (fromManifest?.[0] as DumpKind | undefined) ?? KIND_BY_FILE.get(file) ?? kindFromContent(text);
        if (!kind) {
          skipped.push(`nodes/${node}/${file}`);
          continue;
        }
        const at = fromManifest?.[1]?.collectedAt
          ? new Date(fromManifest[1].collectedAt)
          : (await stat(path)).mtime;
        this.dumps.put(node, kind, text, 'snapshot', Number.isNaN(at.getTime()) ? new Date(0) : at);
        count++;
      }
    }
    this.state = {
      name: this.name,
      state: 'ready',
      message: `${count} dump(s) for ${nodes.length} node(s)${skipped.length > 0 ? `; not recognised: ${skipped.join(', ')}` : ''}`,
    };
  }

  async stop(): Promise<void> {}

  status(): CollectorStatus {
    return this.state;
  }

  /** Per-node kube-proxy settings recorded in the manifest (the demo's nodes differ in mode). */
  nodeSettings(): Record<string, ProxySettings> {
    return this.settings;
  }

  private async readManifest(): Promise<SnapshotManifest | null> {
    try {
      const m = JSON.parse(await readFile(join(this.dir, MANIFEST_FILE), 'utf8')) as SnapshotManifest;
      return typeof m === 'object' && m !== null && typeof m.nodes === 'object' ? m : null;
    } catch {
      return null;
    }
  }
}
