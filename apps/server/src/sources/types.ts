import type { ClusterState } from '@svcpath/core';

/** The resources a cluster source reads, as reported in its status. */
export type SourceResource = 'services' | 'endpointslices' | 'pods' | 'nodes' | 'kube-proxy-config';

export const SOURCE_RESOURCES: readonly SourceResource[] = [
  'services',
  'endpointslices',
  'pods',
  'nodes',
  'kube-proxy-config',
];

export type ResourceSyncState = 'syncing' | 'ready' | 'stale' | 'forbidden' | 'error';

export interface ResourceStatus {
  state: ResourceSyncState;
  /** Why the state is not `ready` (or a note on a ready one, e.g. defaults used). */
  message?: string;
  /** When the data was last known to match the API (ISO time from the source's clock). */
  lastSyncedAt?: string;
  count: number;
}

export interface SourceStatus {
  kind: 'demo' | 'kube' | 'snapshot';
  /** Context name, or snapshot directory. */
  name: string;
  state: 'syncing' | 'ready' | 'degraded' | 'error';
  resources: Record<SourceResource, ResourceStatus>;
}

/** The cluster objects plus kube-proxy's configuration, when the source knows it. */
export type ClusterSnapshot = ClusterState & {
  /** Parsed `KubeProxyConfiguration` object (from kube-proxy's ConfigMap), or undefined. */
  proxyConfig?: unknown;
};

export interface ChangeEvent {
  kind: 'service' | 'endpointslice' | 'pod' | 'node' | 'config';
  type: 'add' | 'update' | 'delete';
  namespace?: string;
  name: string;
}

export type ChangeListener = (ev: ChangeEvent) => void;
export type StatusListener = (status: SourceStatus) => void;

/** Where cluster objects come from: the demo cluster, a live API, or a directory. */
export interface ClusterSource {
  /** Starts reading; resolves once a first attempt at every resource has finished. */
  start(): Promise<void>;
  /** Stops reading; the last snapshot stays available. */
  stop(): void;
  snapshot(): ClusterSnapshot;
  status(): SourceStatus;
  /** Subscribes to object changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  /** Subscribes to status changes (state or message of the source or a resource). */
  onStatus(listener: StatusListener): () => void;
}

/** Injectable time, so tests need no real waiting and no wall clock. */
export interface SourceClock {
  now: () => Date;
}
