// Collection by exec into kube-proxy pods: off by default (it needs pods/exec, which the
// read-only RBAC does not grant) and not supported yet; it reports so in the status.
import type { Collector, CollectorStatus } from './types.js';

export class ExecCollector implements Collector {
  readonly name = 'exec';
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): CollectorStatus {
    return {
      name: this.name,
      state: 'error',
      message: 'exec collection is not supported yet: use the agent DaemonSet or upload dumps',
    };
  }
}
