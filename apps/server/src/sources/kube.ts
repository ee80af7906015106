import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { EndpointSlice, Node, Pod, Service } from '@svcpath/core';
import { DEFAULT_BACKOFF } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { loadKubeConfig } from './kube-config.js';
import type { KubeConnectionOptions } from './kube-config.js';
import { resourceLists } from './kube-lists.js';
import { KubeProxyConfigPoller } from './kube-proxy-config.js';
import { Listeners } from './listeners.js';
import { ResourceInformer } from './resource-informer.js';
import { cancellableSleep, timerScheduler } from './scheduler.js';
import type { Scheduler } from './scheduler.js';
import { overallState, statusKey } from './status.js';
import { trimObject } from './trim.js';
import type {
  ChangeEvent,
  ChangeListener,
  ClusterSnapshot,
  ClusterSource,
  SourceStatus,
  StatusListener,
} from './types.js';

export interface KubeClusterSourceOptions extends KubeConnectionOptions {
  now?: () => Date;
  /** Timer used for backoff, polling and watch guards (tests pass a fast or manual one). */
  schedule?: Scheduler;
  random?: () => number;
  /** Restart backoff after a failure: default 1 s doubling to 30 s, ±10 % jitter. */
  backoff?: Partial<BackoffPolicy>;
  /** How often kube-proxy's ConfigMap is read (default 60 s). */
  proxyConfigPollMs?: number;
  /** Server-side watch timeout (default 5–10 min, spread). */
  watchTimeoutSeconds?: number;
  /** A watch shorter than this with no event counts as failed (default 1 s). */
  minHealthyWatchMs?: number;
  /** A list or ConfigMap read without a complete answer after this long fails (default 60 s). */
  requestTimeoutMs?: number;
  /** Healthy time after which the restart backoff starts over (default 60 s). */
  backoffResetMs?: number;
  /** `start()` resolves after this long even if first reads are still pending (default 15 s). */
  startTimeoutMs?: number;
}

type ObjectResource = 'services' | 'endpointslices' | 'pods' | 'nodes';

const INFORMERS: ReadonlyArray<{ resource: ObjectResource; path: string; changeKind: ChangeEvent['kind'] }> =
  [
    { resource: 'services', path: '/api/v1/services', changeKind: 'service' },
    {
      resource: 'endpointslices',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      changeKind: 'endpointslice',
    },
    { resource: 'pods', path: '/api/v1/pods', changeKind: 'pod' },
    { resource: 'nodes', path: '/api/v1/nodes', changeKind: 'node' },
  ];

// Code-unit order: deterministic and much cheaper than localeCompare for 100k objects.
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byNamespaceAndName = (a: KubernetesObject, b: KubernetesObject): number =>
  compareStrings(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') ||
  compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? '');

/**
 * A live cluster through the Kubernetes API: client-node informers (list, then watch) for
 * Services, EndpointSlices, Pods and Nodes, and a poll of kube-proxy's ConfigMap. Read-only, and
 * it reads nothing else (no Secrets). Failures become resource states; the last good objects
 * stay in the snapshot, marked stale.
 */
export class KubeClusterSource implements ClusterSource {
  private readonly now: () => Date;
  private readonly schedule: Scheduler;
  private informers: Map<ObjectResource, ResourceInformer> | undefined;
  private proxyConfig: KubeProxyConfigPoller | undefined;
  private name: string;
  private readonly changes = new Listeners<ChangeEvent>();
  private readonly statuses = new Listeners<SourceStatus>();
  private lastStatusKey = '';
  private cached: ClusterSnapshot | undefined;
  private loadedConfig: KubeConfig | undefined;

  constructor(private readonly opts: KubeClusterSourceOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.schedule = opts.schedule ?? timerScheduler;
    this.name = opts.inCluster ? 'in-cluster' : (opts.context ?? 'kubeconfig');
  }

  async start(): Promise<void> {
    if (this.informers) return;
    const { kubeConfig, name } = loadKubeConfig(this.opts);
    this.name = name;
    this.loadedConfig = kubeConfig;
    const lists = resourceLists(kubeConfig, this.opts.requestTimeoutMs);
    const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...this.opts.backoff };
    const random = this.opts.random ?? Math.random;
    const common = {
      now: this.now,
      schedule: this.schedule,
      random,
      backoff,
      onChange: (ev: ChangeEvent) => this.changed(ev),
      onStatus: () => this.statusChanged(),
    };
    this.informers = new Map(
      INFORMERS.map(({ resource, path, changeKind }) => [
        resource,
        new ResourceInformer({
          ...common,
          kubeConfig,
          path,
          changeKind,
          list: lists[resource],
          transform: (obj: KubernetesObject) => trimObject(resource, obj),
          minHealthyWatchMs: this.opts.minHealthyWatchMs ?? 1000,
          backoffResetMs: this.opts.backoffResetMs ?? 60_000,
          ...(this.opts.watchTimeoutSeconds !== undefined
            ? { watchTimeoutSeconds: this.opts.watchTimeoutSeconds }
            : {}),
        }),
      ]),
    );
    this.proxyConfig = new KubeProxyConfigPoller({
      ...common,
      read: lists.readKubeProxyConfigMap,
      pollMs: this.opts.proxyConfigPollMs ?? 60_000,
    });
    const firstReads = Promise.all([
      ...[...this.informers.values()].map((i) => i.start()),
      this.proxyConfig.start(),
    ]);
    const cap = cancellableSleep(this.schedule, this.opts.startTimeoutMs ?? 15_000);
    await Promise.race([firstReads, cap.done]);
    cap.cancel();
    this.statusChanged();
  }

  stop(): void {
    for (const informer of this.informers?.values() ?? []) informer.stop();
    this.proxyConfig?.stop();
  }

  /** The configuration `start()` loaded, shared with the exec collector (undefined before). */
  kubeConfig(): KubeConfig | undefined {
    return this.loadedConfig;
  }

  snapshot(): ClusterSnapshot {
    if (this.cached) return this.cached;
    const objects = (resource: ObjectResource): KubernetesObject[] =>
      [...(this.informers?.get(resource)?.objects() ?? [])].sort(byNamespaceAndName);
    // The informers hold the JSON the API sent, which is the shape core's types describe.
    const snapshot: ClusterSnapshot = {
      services: objects('services') as unknown as Service[],
      endpointSlices: objects('endpointslices') as unknown as EndpointSlice[],
      pods: objects('pods') as unknown as Pod[],
      nodes: objects('nodes') as unknown as Node[],
      ...(this.proxyConfig?.config !== undefined ? { proxyConfig: this.proxyConfig.config } : {}),
    };
    this.cached = snapshot;
    return snapshot;
  }

  status(): SourceStatus {
    const resource = (r: ObjectResource) =>
      this.informers?.get(r)?.status ?? { state: 'syncing' as const, count: 0 };
    const resources: SourceStatus['resources'] = {
      services: resource('services'),
      endpointslices: resource('endpointslices'),
      pods: resource('pods'),
      nodes: resource('nodes'),
      'kube-proxy-config': this.proxyConfig?.status ?? { state: 'syncing', count: 0 },
    };
    return { kind: 'kube', name: this.name, state: overallState(resources), resources };
  }

  onChange(listener: ChangeListener): () => void {
    return this.changes.add(listener);
  }

  onStatus(listener: StatusListener): () => void {
    return this.statuses.add(listener);
  }

  private changed(ev: ChangeEvent): void {
    this.cached = undefined;
    this.changes.emit(ev);
  }

  private statusChanged(): void {
    this.cached = undefined; // cheap, and keeps counts and objects in step
    const status = this.status();
    const key = statusKey(status);
    if (key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    this.statuses.emit(status);
  }
}
