// A ClusterSource over fixed objects, for route tests.
import type { ClusterState } from '@svcpath/core';
import type {
  ChangeListener,
  ClusterSnapshot,
  ClusterSource,
  SourceStatus,
  StatusListener,
} from './types.js';

export class StaticClusterSource implements ClusterSource {
  private readonly listeners = new Set<ChangeListener>();
  constructor(public state: ClusterSnapshot) {}
  async start(): Promise<void> {}
  stop(): void {}
  snapshot(): ClusterSnapshot {
    return this.state;
  }
  status(): SourceStatus {
    const count = (n: number) => ({ state: 'ready' as const, count: n });
    return {
      kind: 'snapshot',
      name: 'test objects',
      state: 'ready',
      resources: {
        services: count(this.state.services.length),
        endpointslices: count(this.state.endpointSlices.length),
        pods: count(this.state.pods.length),
        nodes: count(this.state.nodes.length),
        'kube-proxy-config': count(0),
      },
    };
  }
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onStatus(_listener: StatusListener): () => void {
    return () => undefined;
  }
  /** Replace the objects and tell listeners. */
  replace(state: ClusterState): void {
    this.state = state;
    for (const l of this.listeners) l({ kind: 'service', type: 'update', name: '*' });
  }
}
