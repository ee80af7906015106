import type { ProxySettings } from '@svcpath/core';
import type { FastifyBaseLogger } from 'fastify';
import type { DumpStore } from '../services/dump-store.js';
import { isDumpProvider } from '../sources/extensions.js';
import type { ClusterSource } from '../sources/types.js';
import { AgentPullCollector, type AgentPullOptions } from './agent-pull.js';
import { ExecCollector, type ExecCollectorOptions } from './exec.js';
import { LocalHostCollector, type LocalCollectorOptions } from './local-host.js';
import { SnapshotDumpsCollector } from './snapshot-dumps.js';
import { SourceDumpsCollector } from './source-dumps.js';
import type { Collector } from './types.js';

export {
  AgentPullCollector,
  AGENT_LABEL,
  AGENT_LABEL_VALUE,
  DEFAULT_AGENT_PORT,
  type AgentPullOptions,
} from './agent-pull.js';
export { LocalHostCollector, type LocalCollectorOptions } from './local-host.js';
export {
  ExecCollector,
  EXEC_RBAC_HINT,
  KUBE_PROXY_NAMESPACE,
  KUBE_PROXY_SELECTOR,
  type ExecCollectorOptions,
} from './exec.js';
export { SnapshotDumpsCollector } from './snapshot-dumps.js';
export type { Collector, CollectorStatus } from './types.js';

/** Uploads (PUT /api/nodes/:node/dumps/:kind) are always accepted; these add collection. */
export interface CollectorOptions {
  /** Pull from `svcpath agent` pods (default: on for the kube source, off otherwise). */
  agents?: boolean | AgentPullOptions;
  /** Read this host's dataplane (opt-in). */
  local?: boolean | LocalCollectorOptions;
  /** Exec into kube-proxy pods (off by default: needs pods/exec; only with the kube source). */
  exec?: boolean | ExecCollectorOptions;
  /** Read `nodes/<node>/<dump>` from this directory (default: the snapshot source's directory). */
  snapshotDir?: string;
  extra?: Collector[];
}

export interface CollectorDeps {
  source: ClusterSource;
  dumps: DumpStore;
  now: () => Date;
  log: FastifyBaseLogger;
  /** The server's bearer token: agents deployed with it require it. */
  authToken?: string;
  /** The server's dump size limit: collectors keep nothing larger. */
  dumpLimitBytes?: number;
  /** Called when a collector's status may have changed. */
  onStatusChange?: () => void;
}

export function createCollectors(opts: CollectorOptions, deps: CollectorDeps): Collector[] {
  const out: Collector[] = [];
  if (isDumpProvider(deps.source)) out.push(new SourceDumpsCollector(deps.source, deps.dumps));
  const status = deps.source.status();
  const snapshotDir = opts.snapshotDir ?? (status.kind === 'snapshot' ? status.name : undefined);
  if (snapshotDir !== undefined) out.push(new SnapshotDumpsCollector(snapshotDir, deps.dumps));
  const agents = opts.agents ?? status.kind === 'kube';
  if (agents !== false)
    out.push(new AgentPullCollector(deps.source, deps.dumps, deps.now, agents === true ? {} : agents));
  if (opts.local)
    out.push(new LocalHostCollector(deps.dumps, deps.now, opts.local === true ? {} : opts.local));
  if (opts.exec)
    out.push(
      new ExecCollector(deps.source, deps.dumps, deps.now, {
        ...(deps.dumpLimitBytes !== undefined ? { maxBytes: deps.dumpLimitBytes } : {}),
        ...(deps.onStatusChange ? { afterRound: deps.onStatusChange } : {}),
        ...(opts.exec === true ? {} : opts.exec),
      }),
    );
  out.push(...(opts.extra ?? []));
  return out;
}

/** Collectors that also know nodes' kube-proxy settings (a snapshot's manifest). */
export function collectorNodeSettings(collectors: readonly Collector[]): Record<string, ProxySettings> {
  const out: Record<string, ProxySettings> = {};
  for (const c of collectors) if (c instanceof SnapshotDumpsCollector) Object.assign(out, c.nodeSettings());
  return out;
}
