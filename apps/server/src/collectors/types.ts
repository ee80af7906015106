import type { ResourceState } from '@svcpath/core';

/** Something that fills the dump store with a node's dataplane: agents, the local host, the demo. */
export interface Collector {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): CollectorStatus;
}

export interface CollectorStatus {
  name: string;
  state: ResourceState;
  message?: string;
}
