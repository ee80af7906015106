// Dumps that come with the source itself (the demo's generated dumps, a snapshot's files):
// nothing to run, only a status line.
import type { ClusterSource } from '../sources/types.js';
import type { DumpStore } from '../services/dump-store.js';
import type { Collector, CollectorStatus } from './types.js';

export class SourceDumpsCollector implements Collector {
  readonly name: string;
  constructor(
    source: ClusterSource,
    private readonly dumps: DumpStore,
  ) {
    this.name = source.status().kind;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): CollectorStatus {
    const nodes = this.dumps.nodes().length;
    return {
      name: this.name,
      state: 'ready',
      message: `dumps for ${nodes} node(s) from the ${this.name} source`,
    };
  }
}
