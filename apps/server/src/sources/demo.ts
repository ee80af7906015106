// The demo cluster as a ClusterSource: the built-in objects, their generated dumps, and a timer
// that moves the demo's timeline on (the only timer that drives the demo; the demo itself is pure).
import { createDemoCluster, type DemoCluster } from '@svcpath/demo';
import type { ProxySettings } from '@svcpath/core';
import type { DumpProvider, NodeSettingsProvider, SourceDump } from './extensions.js';
import type {
  ChangeListener,
  ClusterSnapshot,
  ClusterSource,
  SourceStatus,
  StatusListener,
} from './types.js';

export interface DemoSourceOptions {
  now?: () => Date;
  /** How often the timeline is advanced (default 2 s; the demo changes every 15 s). */
  tickMs?: number;
  /** The demo starts at this time (default: now). */
  startTime?: Date;
}

export class DemoClusterSource implements ClusterSource, DumpProvider, NodeSettingsProvider {
  readonly demo: DemoCluster;
  private readonly now: () => Date;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly dumpListeners = new Set<() => void>();
  private lastSyncedAt: Date;

  constructor(opts: DemoSourceOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.tickMs = opts.tickMs ?? 2000;
    this.demo = createDemoCluster({ startTime: opts.startTime ?? this.now() });
    this.lastSyncedAt = this.demo.startTime;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch {
        // The demo is pure and tested; a failing tick only skips this step of the timeline.
      }
    }, this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Moves the timeline to the current time; returns how many objects changed. */
  tick(): number {
    const events = this.demo.advance(this.now());
    this.lastSyncedAt = this.now();
    if (events.length === 0) return 0;
    for (const e of events) for (const l of this.changeListeners) l(e);
    for (const l of this.dumpListeners) l();
    return events.length;
  }

  snapshot(): ClusterSnapshot {
    return this.demo.state();
  }

  status(): SourceStatus {
    const s = this.demo.state();
    const at = this.lastSyncedAt.toISOString();
    const ready = (count: number, message?: string) => ({
      state: 'ready' as const,
      count,
      lastSyncedAt: at,
      ...(message ? { message } : {}),
    });
    return {
      kind: 'demo',
      name: 'built-in demo cluster',
      state: 'ready',
      resources: {
        services: ready(s.services.length),
        endpointslices: ready(s.endpointSlices.length),
        pods: ready(s.pods.length),
        nodes: ready(s.nodes.length),
        'kube-proxy-config': ready(
          s.nodes.length,
          `one configuration per node; latest change: ${this.demo.lastChange()}`,
        ),
      },
    };
  }

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onStatus(_listener: StatusListener): () => void {
    // The demo's status never changes state.
    return () => undefined;
  }

  dumps(): SourceDump[] {
    return this.demo.dumps().map((d) => ({ ...d, source: 'demo' }));
  }

  onDumps(listener: () => void): () => void {
    this.dumpListeners.add(listener);
    return () => this.dumpListeners.delete(listener);
  }

  nodeProxySettings(): Record<string, ProxySettings> {
    return this.demo.nodeSettings();
  }
}
