// @svcpath/test-apiserver: a Kubernetes API double for tests. It is not a cluster.
export { startTestApiServer } from './server.js';
export { execStatus } from './exec.js';
export type { ExecAnswer, ExecHandler, ExecResult } from './exec.js';
export { ObjectStore } from './store.js';
export { parseRoute } from './routes.js';
export type { StatusObject } from './status.js';
export type {
  DropWatchesOptions,
  RequestLogEntry,
  ResourceKind,
  StoredObject,
  TestApiServer,
  TestApiServerOptions,
  WatchEvent,
  WatchEventType,
} from './types.js';
export { RESOURCE_KINDS } from './types.js';
