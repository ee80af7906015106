import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseKubeObjects } from '@svcpath/core';
import type { ClusterState, ParseIssue } from '@svcpath/core';
import { LineCounter, parseDocument } from 'yaml';
import { Listeners } from './listeners.js';
import { parseProxyConfigText } from './proxy-config-text.js';
import { initialResources, overallState } from './status.js';
import type {
  ChangeListener,
  ClusterSnapshot,
  ClusterSource,
  ResourceStatus,
  SourceResource,
  SourceStatus,
  StatusListener,
} from './types.js';

export const SNAPSHOT_FILES = { cluster: 'cluster.json', proxyConfig: 'kube-proxy-config.yaml' } as const;

type ObjectResource = Exclude<SourceResource, 'kube-proxy-config'>;

const RESOURCE_OF_KIND: Record<string, ObjectResource> = {
  Service: 'services',
  EndpointSlice: 'endpointslices',
  Pod: 'pods',
  Node: 'nodes',
};

const STATE_KEY: Record<ObjectResource, keyof ClusterState> = {
  services: 'services',
  endpointslices: 'endpointSlices',
  pods: 'pods',
  nodes: 'nodes',
};

type FileRead = { ok: true; text: string; mtime: Date } | { ok: false; missing: boolean; message: string };

async function readText(path: string): Promise<FileRead> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { ok: true, text, mtime: info.mtime };
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    return {
      ok: false,
      missing: code === 'ENOENT',
      message: err instanceof Error ? err.message : String(err),
    };
  }
}

/** JSON as kubectl prints it; YAML accepted too (a superset), with the line of a syntax error. */
function parseDocumentText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, lineCounter });
    const [first] = doc.errors;
    if (first)
      return { ok: false, error: `line ${lineCounter.linePos(first.pos[0]).line}: ${first.message}` };
    try {
      return { ok: true, value: doc.toJS() as unknown }; // throws on unresolved or excessive aliases
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
}

/** Top-level objects of a List (or an array, or one object), with their paths. */
function topLevelItems(value: unknown): Array<{ item: unknown; path: string }> {
  if (Array.isArray(value)) return value.map((item, i) => ({ item, path: `[${i}]` }));
  if (typeof value === 'object' && value !== null && 'items' in value && Array.isArray(value.items)) {
    return value.items.map((item: unknown, i: number) => ({ item, path: `items[${i}]` }));
  }
  return [{ item: value, path: '$' }];
}

const kindOf = (item: unknown): string | undefined =>
  typeof item === 'object' && item !== null && 'kind' in item && typeof item.kind === 'string'
    ? item.kind
    : undefined;

const summary = (file: string, issues: readonly ParseIssue[]): string | undefined => {
  const errors = issues.filter((i) => i.severity === 'error');
  const [first] = errors;
  if (!first) return undefined;
  const where = first.path !== undefined ? `${first.path}: ` : '';
  return `${file}: ${errors.length} object(s) skipped (first: ${where}${first.message})`;
};

/**
 * A cluster read once from a directory: `cluster.json` as `kubectl get
 * svc,endpointslices,pods,nodes -A -o json` prints it, and optionally `kube-proxy-config.yaml`
 * (a KubeProxyConfiguration). Problems show in the status; `start()` does not throw for them.
 * Node dumps in the same directory are read by the dump collectors, not here.
 */
export class SnapshotClusterSource implements ClusterSource {
  private state: ClusterSnapshot = { services: [], endpointSlices: [], pods: [], nodes: [] };
  private resources: Record<SourceResource, ResourceStatus> = initialResources();
  private allIssues: ParseIssue[] = [];
  private readonly changes = new Listeners<never>();
  private readonly statuses = new Listeners<SourceStatus>();

  constructor(private readonly dir: string) {}

  async start(): Promise<void> {
    await Promise.all([this.loadCluster(), this.loadProxyConfig()]);
    this.statuses.emit(this.status());
  }

  stop(): void {
    // Nothing runs in the background.
  }

  snapshot(): ClusterSnapshot {
    return this.state;
  }

  status(): SourceStatus {
    return {
      kind: 'snapshot',
      name: this.dir,
      state: overallState(this.resources),
      resources: this.resources,
    };
  }

  /** Every problem found in cluster.json, with JSON paths. */
  issues(): readonly ParseIssue[] {
    return this.allIssues;
  }

  /** A snapshot never changes; the subscription exists for the common interface. */
  onChange(listener: ChangeListener): () => void {
    return this.changes.add(listener);
  }

  onStatus(listener: StatusListener): () => void {
    return this.statuses.add(listener);
  }

  private async loadCluster(): Promise<void> {
    const file = SNAPSHOT_FILES.cluster;
    const read = await readText(join(this.dir, file));
    const failAll = (message: string): void => {
      for (const r of Object.keys(STATE_KEY) as ObjectResource[])
        this.resources[r] = { state: 'error', message, count: 0 };
    };
    if (!read.ok)
      return failAll(read.missing ? `${file} not found in ${this.dir}` : `${file}: ${read.message}`);
    const parsed = parseDocumentText(read.text);
    if (!parsed.ok) return failAll(`${file}: ${parsed.error}`);

    const state: ClusterSnapshot = { services: [], endpointSlices: [], pods: [], nodes: [] };
    const issuesBy = new Map<ObjectResource | undefined, ParseIssue[]>();
    for (const { item, path } of topLevelItems(parsed.value)) {
      // One object at a time, so that each problem is charged to its resource.
      const result = parseKubeObjects(item);
      const kind = kindOf(item);
      const resource = kind === undefined ? undefined : RESOURCE_OF_KIND[kind];
      const issues = result.issues.map((i) =>
        i.path !== undefined ? { ...i, path: i.path.replace(/^\$/, path) } : i,
      );
      issuesBy.set(resource, [...(issuesBy.get(resource) ?? []), ...issues]);
      state.services.push(...result.state.services);
      state.endpointSlices.push(...result.state.endpointSlices);
      state.pods.push(...result.state.pods);
      state.nodes.push(...result.state.nodes);
    }
    this.allIssues = [...issuesBy.values()].flat();
    const lastSyncedAt = read.mtime.toISOString();
    for (const [r, key] of Object.entries(STATE_KEY) as Array<[ObjectResource, keyof ClusterState]>) {
      const message = summary(file, issuesBy.get(r) ?? []);
      this.resources[r] = {
        state: 'ready',
        lastSyncedAt,
        count: state[key].length,
        ...(message ? { message } : {}),
      };
    }
    this.state = {
      ...state,
      ...(this.state.proxyConfig !== undefined ? { proxyConfig: this.state.proxyConfig } : {}),
    };
  }

  private async loadProxyConfig(): Promise<void> {
    const file = SNAPSHOT_FILES.proxyConfig;
    const read = await readText(join(this.dir, file));
    if (!read.ok) {
      this.resources['kube-proxy-config'] = read.missing
        ? { state: 'ready', message: 'not found: defaults used', count: 0 }
        : { state: 'error', message: `${file}: ${read.message}`, count: 0 };
      return;
    }
    const parsed = parseProxyConfigText(read.text);
    if (!parsed.ok) {
      this.resources['kube-proxy-config'] = { state: 'error', message: `${file}: ${parsed.error}`, count: 0 };
      return;
    }
    this.state = { ...this.state, proxyConfig: parsed.config };
    this.resources['kube-proxy-config'] = {
      state: 'ready',
      lastSyncedAt: read.mtime.toISOString(),
      count: 1,
    };
  }
}
