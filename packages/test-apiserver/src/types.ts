/**
 * Types of the Kubernetes API test double. This package is a stand-in for a kube-apiserver in
 * tests only: it keeps objects in memory and speaks just enough of the API (list, watch,
 * bookmarks, 410 Gone, 403) for svcpath's sources to be exercised. It is not a cluster.
 */
import type { ExecHandler } from './exec.js';

/** The resources the double serves (plural names, as in API paths). */
export type ResourceKind = 'services' | 'pods' | 'nodes' | 'endpointslices' | 'configmaps' | 'secrets';

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'services',
  'pods',
  'nodes',
  'endpointslices',
  'configmaps',
  'secrets',
];

/** The part of an object the double looks at; everything else is stored as given. */
export interface StoredObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

/** One request as the double saw it, for tests to assert on (e.g. "no watch storm"). */
export interface RequestLogEntry {
  /** Arrival order, from 1. */
  seq: number;
  /** Milliseconds since the double started (wall clock, for logs only). */
  atMs: number;
  method: string;
  path: string;
  kind?: ResourceKind;
  namespace?: string;
  name?: string;
  watch: boolean;
  /** `exec` for `pods/{pod}/exec` (a websocket upgrade; status 101 when accepted). */
  subresource?: 'exec';
  resourceVersion?: string;
  /** HTTP status answered; undefined while the request has not been answered (or was dropped). */
  status?: number;
}

export interface TestApiServerOptions {
  /** How many watch events are kept for resuming watches; older versions get 410 Gone. */
  historyLimit?: number;
}

export interface DropWatchesOptions {
  /** true: end each stream cleanly (chunked terminator); false (default): destroy the socket. */
  graceful?: boolean;
}

export interface TestApiServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received so far, oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Creates or replaces an object; returns its new resourceVersion. */
  upsert(kind: ResourceKind, obj: StoredObject): string;
  /** Deletes an object (namespace '' or undefined for cluster-scoped); false when absent. */
  remove(kind: ResourceKind, namespace: string | undefined, name: string): boolean;
  /** Current objects of a kind, as a client would list them. */
  list(kind: ResourceKind): StoredObject[];
  /** The current global resourceVersion. */
  resourceVersion(): string;
  /** Closes open watch connections; returns how many were closed. */
  dropWatches(opts?: DropWatchesOptions): number;
  /** Number of open watch connections. */
  openWatches(): number;
  /** Forgets the event history: watching from any version seen so far answers 410 Gone. */
  expireHistory(): void;
  /** Answers every request for `kind` with 403 Forbidden while set. */
  setForbidden(kind: ResourceKind, forbidden: boolean): void;
  /**
   * While set, every watch of `kind` is answered with one ERROR event carrying a Status of this
   * code (as an API server in trouble does), then closed; lists still work. `undefined` clears it.
   */
  setWatchError(kind: ResourceKind, error: { code: number; message?: string } | undefined): void;
  /** Delays every answer by `ms`. */
  setLatency(ms: number): void;
  /** While down, connections are reset without an answer and open watches are cut. */
  setDown(down: boolean): void;
  /**
   * Decides what each `pods/{pod}/exec` does (the pod must exist): output and exit code,
   * `'forbidden'` (403, as without RBAC for pods/exec) or `'hang'` (never answers). Without a
   * handler, every exec fails with an InternalError status.
   */
  setExecHandler(handler: ExecHandler | undefined): void;
  /** Sends a BOOKMARK at the current resourceVersion to watches that allowed bookmarks. */
  bookmark(): void;
  /** Clears the request log. */
  clearRequests(): void;
  close(): Promise<void>;
}
