// What the route plugins share: passed as plugin options, no global decorators.
import type { SourceStatusDto } from '@svcpath/core';
import type { Collector } from './collectors/types.js';
import type { ClusterModel } from './services/cluster-model.js';
import type { EventHub } from './services/event-hub.js';

export interface Limits {
  /** Largest accepted dump upload, in bytes (default 50 MB). */
  dumpBytes: number;
  /** Uploads per client per minute. */
  uploadsPerMinute: number;
  /** Heartbeat interval of /api/events, in ms. */
  sseHeartbeatMs: number;
  /** Time one request may spend computing nodes' drift; the rest is computed in the background. */
  driftBudgetMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  dumpBytes: 50 * 1024 * 1024,
  uploadsPerMinute: 30,
  sseHeartbeatMs: 15_000,
  driftBudgetMs: 250,
};

export interface AppContext {
  model: ClusterModel;
  hub: EventHub;
  collectors: Collector[];
  limits: Limits;
  now: () => Date;
  status: () => SourceStatusDto;
}
