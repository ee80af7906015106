// Pulls each node's dumps from the `svcpath agent` DaemonSet. Agents are found through the
// cluster source: pods labelled app.kubernetes.io/name=svcpath-agent, one per node.
import type { DumpKind, Pod } from '@svcpath/core';
import type { DumpStore } from '../services/dump-store.js';
import { DUMP_KINDS } from '../services/dump-store.js';
import type { ClusterSource } from '../sources/types.js';
import { Poller } from './poller.js';
import type { Collector, CollectorStatus } from './types.js';

export const AGENT_LABEL = 'app.kubernetes.io/name';
export const AGENT_LABEL_VALUE = 'svcpath-agent';
/** The agent's port in deploy/base/agent.yaml. */
export const DEFAULT_AGENT_PORT = 9465;

export interface AgentPullOptions {
  /** Called after each collection round. */
  afterRound?: () => void;
  intervalMs?: number;
  timeoutMs?: number;
  maxBackoffMs?: number;
  /** Agent port when the pod does not declare one named `agent` or `http`. */
  port?: number;
  /** Bearer token the agents require (the in-cluster manifests share the server's). */
  token?: string;
  fetch?: typeof fetch;
}

interface NodeState {
  lastError: string | null;
  lastSuccess: Date | null;
}

export class AgentPullCollector implements Collector {
  readonly name = 'agent';
  private readonly poller: Poller;
  private readonly nodes = new Map<string, NodeState>();
  private agentsFound = 0;

  constructor(
    private readonly source: ClusterSource,
    private readonly dumps: DumpStore,
    private readonly now: () => Date,
    private readonly opts: AgentPullOptions = {},
  ) {
    this.poller = new Poller({
      intervalMs: opts.intervalMs ?? 30_000,
      maxBackoffMs: opts.maxBackoffMs ?? 300_000,
      task: () => this.pullAll(),
      ...(opts.afterRound ? { afterRound: opts.afterRound } : {}),
    });
  }

  async start(): Promise<void> {
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
  }

  /** One round over every agent; fails (for backoff) only when every agent failed. */
  async pullAll(): Promise<void> {
    const agents = this.source.snapshot().pods.filter(isAgentPod);
    this.agentsFound = agents.length;
    const results = await Promise.all(agents.map((pod) => this.pullOne(pod)));
    if (results.length > 0 && results.every((ok) => !ok)) throw new Error('every agent failed');
  }

  private async pullOne(pod: Pod): Promise<boolean> {
    const node = pod.spec?.nodeName ?? '';
    const state = this.nodes.get(node) ?? { lastError: null, lastSuccess: null };
    this.nodes.set(node, state);
    const ip = pod.status?.podIP;
    if (!ip) {
      state.lastError = `agent pod ${pod.metadata.name} has no IP yet`;
      return false;
    }
    const port = agentPort(pod) ?? this.opts.port ?? DEFAULT_AGENT_PORT;
    const host = ip.includes(':') ? `[${ip}]` : ip;
    const doFetch = this.opts.fetch ?? fetch;
    try {
      const res = await doFetch(`http://${host}:${port}/dumps`, {
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
        ...(this.opts.token ? { headers: { authorization: `Bearer ${this.opts.token}` } } : {}),
      });
      if (!res.ok) throw new Error(`agent answered ${res.status}`);
      const body = (await res.json()) as {
        collectedAt?: string;
        dumps?: Record<string, { text?: string; error?: string }>;
      };
      const collectedAt = body.collectedAt ? new Date(body.collectedAt) : this.now();
      const errors: string[] = [];
      for (const kind of DUMP_KINDS) {
        const d = body.dumps?.[kind];
        if (typeof d?.text === 'string')
          this.dumps.put(
            node,
            kind,
            d.text,
            'agent',
            Number.isNaN(collectedAt.getTime()) ? this.now() : collectedAt,
          );
        else if (d?.error) errors.push(`${kind}: ${d.error}`);
      }
      state.lastSuccess = this.now();
      state.lastError = errors.length > 0 ? `some tools failed (${errors.join('; ')})` : null;
      return true;
    } catch (e) {
      state.lastError = `cannot reach the agent on ${node} (${ip}:${port}): ${e instanceof Error ? e.message : String(e)}`;
      for (const kind of DUMP_KINDS as DumpKind[]) this.dumps.markStale(node, kind);
      return false;
    }
  }

  status(): CollectorStatus {
    if (this.agentsFound === 0 && this.nodes.size === 0)
      return {
        name: this.name,
        state: 'syncing',
        message: `no pods labelled ${AGENT_LABEL}=${AGENT_LABEL_VALUE} found yet`,
      };
    const failing = [...this.nodes.entries()].filter(
      ([, s]) => s.lastSuccess === null || (s.lastError !== null && !s.lastError.startsWith('some tools')),
    );
    if (failing.length === 0) {
      const partial = [...this.nodes.values()].find((s) => s.lastError !== null);
      return partial?.lastError
        ? { name: this.name, state: 'ready', message: partial.lastError }
        : { name: this.name, state: 'ready' };
    }
    const message = failing.map(([, s]) => s.lastError ?? 'no answer yet').join('; ');
    return { name: this.name, state: failing.length === this.nodes.size ? 'error' : 'stale', message };
  }
}

export const isAgentPod = (pod: Pod): boolean =>
  pod.metadata.labels?.[AGENT_LABEL] === AGENT_LABEL_VALUE &&
  pod.spec?.nodeName !== undefined &&
  pod.metadata.deletionTimestamp === undefined;

function agentPort(pod: Pod): number | null {
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) if (p.name === 'agent' || p.name === 'http') return p.containerPort;
  return null;
}
