// Keeps the ClusterModel in step with the ClusterSource. Bursts of object changes (an initial
// list, a rollout) are folded into one rebuild: the model is marked dirty and rebuilt on the
// next tick or on the next read, whichever comes first. Rebuilding a large cluster is costly
// (~170 ms for 10,000 Services), so such rebuilds are spaced out to take at most a third of the
// time while changes keep coming, and reads in between see the previous state.
import type { ProxySettings, SourceStatusDto } from '@svcpath/core';
import type { Collector } from '../collectors/types.js';
import { isDumpProvider, isNodeSettingsProvider } from '../sources/extensions.js';
import type { ClusterSource } from '../sources/types.js';
import type { ClusterModel } from './cluster-model.js';
import type { EventHub } from './event-hub.js';
import { settingsFromConfig, type NodeSettings } from './node-settings.js';

/** Rebuilds up to this long are done at once, every time. */
const CHEAP_REBUILD_MS = 50;

export class SourceSync {
  private dirty = true;
  private scheduled: { cancel(): void } | undefined;
  private readonly unsubscribers: Array<() => void> = [];
  private lastRebuild = { at: Number.NEGATIVE_INFINITY, ms: 0 };

  constructor(
    private readonly source: ClusterSource,
    private readonly model: ClusterModel,
    private readonly hub: EventHub,
    private readonly collectors: () => Collector[],
    private readonly now: () => Date,
    /** Node settings known to collectors (a snapshot's manifest); the source's own win. */
    private readonly extraNodeSettings: () => Record<string, ProxySettings> = () => ({}),
    private readonly onError: (err: unknown) => void = () => undefined,
    /** Milliseconds from a fixed origin, for timing rebuilds (tests pass their own). */
    private readonly clock: () => number = () => performance.now(),
  ) {}

  attach(): void {
    this.unsubscribers.push(this.source.onChange(() => this.markDirty()));
    this.unsubscribers.push(this.source.onStatus(() => this.hub.publish({ type: 'status' })));
    const source = this.source;
    if (isDumpProvider(source)) {
      this.unsubscribers.push(source.onDumps(() => this.copyDumps()));
    }
  }

  detach(): void {
    for (const u of this.unsubscribers.splice(0)) u();
    this.scheduled?.cancel();
    this.scheduled = undefined;
  }

  markDirty(): void {
    this.dirty = true;
    if (this.scheduled) return;
    const run = (): void => {
      this.scheduled = undefined;
      // Outside a request nothing else would catch it: a bad object must not stop the server.
      try {
        this.refresh();
      } catch (err) {
        this.onError(err);
      }
    };
    const wait = this.wait();
    if (wait === 0) {
      const id = setImmediate(run);
      this.scheduled = { cancel: () => clearImmediate(id) };
    } else {
      const id = setTimeout(run, wait);
      this.scheduled = { cancel: () => clearTimeout(id) };
    }
  }

  /** How long until the next rebuild is due: 0 for cheap ones, else twice the last one's cost after it. */
  wait(): number {
    if (this.lastRebuild.ms <= CHEAP_REBUILD_MS) return 0;
    return Math.max(0, Math.ceil(this.lastRebuild.at + 2 * this.lastRebuild.ms - this.clock()));
  }

  /** Rebuild for a read when one is due; otherwise the read sees the state of the last rebuild. */
  refreshIfDue(): void {
    if (this.wait() === 0) this.refresh();
  }

  /** Rebuild the model when the source changed since the last rebuild. */
  refresh(): void {
    if (!this.dirty) return;
    const started = this.clock();
    try {
      this.rebuild();
    } finally {
      const ended = this.clock();
      this.lastRebuild = { at: ended, ms: ended - started };
    }
  }

  private rebuild(): void {
    // Still dirty if reading fails, so the next read tries again.
    const snapshot = this.source.snapshot();
    this.dirty = false;
    const nodeSettings: Record<string, NodeSettings> = {};
    const perNode = {
      ...this.extraNodeSettings(),
      ...(isNodeSettingsProvider(this.source) ? this.source.nodeProxySettings() : {}),
    };
    for (const node of snapshot.nodes) {
      const name = node.metadata.name;
      const own = perNode[name];
      nodeSettings[name] = own
        ? { settings: own, modeSource: 'kube-proxy config' }
        : settingsFromConfig(node, snapshot.proxyConfig);
    }
    const { services, endpointSlices, pods, nodes } = snapshot;
    // Dumps first, so the model's first build already sees them.
    this.copyDumps();
    this.model.setCluster({ cluster: { services, endpointSlices, pods, nodes }, nodeSettings });
  }

  private copyDumps(): void {
    const source = this.source;
    if (!isDumpProvider(source)) return;
    for (const d of source.dumps()) {
      const current = this.model.dumps.get(d.node, d.kind);
      if (current?.text === d.text && current.collectedAt.getTime() === d.collectedAt.getTime()) continue;
      this.model.dumps.put(d.node, d.kind, d.text, d.source, d.collectedAt);
    }
  }

  status(): SourceStatusDto {
    const s = this.source.status();
    return {
      kind: s.kind,
      name: s.name,
      state: s.state,
      resources: s.resources,
      collectors: this.collectors().map((c) => c.status()),
      now: this.now().toISOString(),
    };
  }
}
