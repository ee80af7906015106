// Cluster sources: where the server's cluster objects come from.
export type {
  ChangeEvent,
  ChangeListener,
  ClusterSnapshot,
  ClusterSource,
  ResourceStatus,
  ResourceSyncState,
  SourceResource,
  SourceStatus,
  StatusListener,
} from './types.js';
export { SOURCE_RESOURCES } from './types.js';
export { KubeClusterSource } from './kube.js';
export type { KubeClusterSourceOptions } from './kube.js';
export type { KubeConnectionOptions } from './kube-config.js';
export { KubeConfigError, loadKubeConfig } from './kube-config.js';
export { KUBE_PROXY_CONFIGMAP } from './kube-proxy-config.js';
export { parseProxyConfigText } from './proxy-config-text.js';
export type { ProxyConfigParse } from './proxy-config-text.js';
export { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { timerScheduler } from './scheduler.js';
export type { Scheduler } from './scheduler.js';
export { overallState } from './status.js';
export { SnapshotClusterSource, SNAPSHOT_FILES } from './snapshot.js';
