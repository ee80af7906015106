// @svcpath/server: the HTTP server, its cluster sources and dataplane collectors, and the node agent.
export { buildServer, writeServerSnapshot, type BuildServerOptions } from './app.js';
export { startServer, type StartServerOptions, type RunningServer } from './server.js';
export { DEFAULT_LIMITS, type Limits } from './app-context.js';
export { DemoClusterSource, type DemoSourceOptions } from './sources/demo.js';
export type { ClusterSource, ClusterSnapshot, SourceStatus, ChangeEvent } from './sources/types.js';
export type { DumpProvider, NodeSettingsProvider, SourceDump } from './sources/extensions.js';
export { startAgent, type AgentOptions, type RunningAgent } from './agent/agent.js';
export { runCommand, DUMP_COMMANDS, type CommandRunner, type CommandResult } from './agent/commands.js';
export type {
  CollectorOptions,
  Collector,
  CollectorStatus,
  AgentPullOptions,
  LocalCollectorOptions,
  ExecCollectorOptions,
} from './collectors/index.js';
export { writeSnapshot, writeSnapshotBundle, snapshotBundle, downloadSnapshot } from './snapshot/export.js';
export { KubeClusterSource, type KubeClusterSourceOptions } from './sources/kube.js';
export { KubeConfigError } from './sources/kube-config.js';
export { SnapshotClusterSource } from './sources/snapshot.js';
export {
  CLUSTER_FILE,
  MANIFEST_FILE,
  DUMP_FILE_NAMES,
  SNAPSHOT_FORMAT,
  type SnapshotBundle,
  type SnapshotManifest,
} from './snapshot/layout.js';
