// Collection by exec into kube-proxy pods: off by default, because it needs `create` on
// pods/exec in kube-system (deploy/overlays/with-exec), which the read-only RBAC does not grant.
// Each node's kube-proxy container runs the dump tools of its mode; what it prints goes into the
// dump store as source `exec`. A missing tool or a failing command is a message for that dump;
// a failed node keeps its last dumps, marked stale.
import type { DumpKind } from '@svcpath/core';
import { DEFAULT_LIMITS } from '../app-context.js';
import type { DumpStore } from '../services/dump-store.js';
import type { ClusterSource } from '../sources/types.js';
import { commandsForMode, modeFromProxyConfig, type ExecCommand } from './exec-commands.js';
import { isKubeConfigProvider } from './exec-kube-config.js';
import { concurrencyLimit, type Limiter } from './exec-limit.js';
import { kubeProxyPods, parseEqualitySelector, type KubeProxyPod } from './exec-pods.js';
import { summarizeByNode } from './exec-summary.js';
import { kubeExecRunner, type ExecLimits, type ExecOutcome, type ExecRunner } from './exec-run.js';
import { Poller } from './poller.js';
import type { Collector, CollectorStatus } from './types.js';

export const KUBE_PROXY_NAMESPACE = 'kube-system';
export const KUBE_PROXY_SELECTOR = 'k8s-app=kube-proxy';
export const EXEC_RBAC_HINT = 'needs pods/exec in kube-system: see deploy/overlays/with-exec';

const rbacHint = (namespace: string): string =>
  namespace === KUBE_PROXY_NAMESPACE
    ? EXEC_RBAC_HINT
    : `needs pods/exec in ${namespace} (as deploy/overlays/with-exec grants in kube-system)`;

export interface ExecCollectorOptions {
  /** Namespace of the kube-proxy pods (default kube-system). */
  namespace?: string;
  /** Equality label selector of the kube-proxy pods (default k8s-app=kube-proxy). */
  selector?: string;
  /** Container to exec into (default: the one named kube-proxy, or the pod's only container). */
  container?: string;
  /** Between rounds (default 60 s); doubled per failed round up to `maxBackoffMs`. */
  intervalMs?: number;
  maxBackoffMs?: number;
  /** Per command (default 30 s). */
  timeoutMs?: number;
  /** Largest dump kept (default: the server's dump upload limit). */
  maxBytes?: number;
  /** Execs running at once over all nodes (default 3). */
  maxInFlight?: number;
  /** Called after each collection round. */
  afterRound?: () => void;
  /** How commands run (default: client-node's Exec with the kube source's KubeConfig). */
  runner?: ExecRunner;
}

const podKeyOf = ({ pod }: KubeProxyPod): string =>
  `${pod.metadata.namespace ?? ''}/${pod.metadata.name}/${pod.metadata.uid ?? ''}`;

interface NodeState {
  pod: string;
  /** Why the node as a whole failed this round (API unreachable, forbidden, every command failed). */
  failure: string | null;
  forbidden: boolean;
  /** Per-dump messages of this round (missing tool, non-zero exit, timeout). */
  notes: string[];
}

export class ExecCollector implements Collector {
  readonly name = 'exec';
  private readonly poller: Poller;
  private readonly limit: Limiter;
  private readonly nodes = new Map<string, NodeState>();
  /** Tools a pod's image lacks (by pod uid): not tried again in that pod. */
  private readonly missing = new Map<string, Map<string, string>>();
  /** Pods whose nft has no JSON output: the text form is asked for directly. */
  private readonly nftTextOnly = new Set<string>();
  private readonly labels: Record<string, string> | null;
  private rounds = 0;
  private podsFound = 0;
  private runner: { runner: ExecRunner; from: unknown } | undefined;

  constructor(
    private readonly source: ClusterSource,
    private readonly dumps: DumpStore,
    private readonly now: () => Date,
    private readonly opts: ExecCollectorOptions = {},
  ) {
    this.labels = parseEqualitySelector(opts.selector ?? KUBE_PROXY_SELECTOR);
    this.limit = concurrencyLimit(opts.maxInFlight ?? 3);
    this.poller = new Poller({
      intervalMs: opts.intervalMs ?? 60_000,
      maxBackoffMs: opts.maxBackoffMs ?? 600_000,
      task: () => this.collectAll(),
      ...(opts.afterRound ? { afterRound: opts.afterRound } : {}),
    });
  }

  /** Why exec cannot run at all with this source or these options, or null. */
  private unavailable(): string | null {
    if (this.labels === null)
      return `the kube-proxy selector "${this.opts.selector ?? ''}" is not an equality selector (k=v,…)`;
    if (this.opts.runner || isKubeConfigProvider(this.source)) return null;
    return `exec into kube-proxy pods needs a live cluster (--kubeconfig, --context or --in-cluster); the ${this.source.status().kind} source has none`;
  }

  async start(): Promise<void> {
    if (this.unavailable() === null) this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
  }

  private currentRunner(): ExecRunner | null {
    if (this.opts.runner) return this.opts.runner;
    if (!isKubeConfigProvider(this.source)) return null;
    const kc = this.source.kubeConfig();
    if (!kc) return null;
    if (this.runner?.from !== kc) this.runner = { runner: kubeExecRunner(kc), from: kc };
    return this.runner.runner;
  }

  /** One round over every kube-proxy pod; fails (for backoff) only when every node failed. */
  async collectAll(): Promise<void> {
    const runner = this.currentRunner();
    if (!runner || this.labels === null) throw new Error('exec is not available yet');
    this.rounds++;
    const snapshot = this.source.snapshot();
    const targets = kubeProxyPods(
      snapshot.pods,
      this.opts.namespace ?? KUBE_PROXY_NAMESPACE,
      this.labels,
      this.opts.container,
    );
    this.podsFound = targets.length;
    const present = new Set(targets.map((t) => t.node));
    for (const node of [...this.nodes.keys()]) if (!present.has(node)) this.nodes.delete(node);
    // What was learnt about replaced pods' images is forgotten with them.
    const live = new Set(targets.map((t) => podKeyOf(t)));
    for (const key of [...this.missing.keys()]) if (!live.has(key)) this.missing.delete(key);
    for (const key of [...this.nftTextOnly]) if (!live.has(key)) this.nftTextOnly.delete(key);
    const commands = commandsForMode(modeFromProxyConfig(snapshot.proxyConfig));
    const results = await Promise.all(targets.map((t) => this.collectNode(t, commands, runner)));
    if (results.length > 0 && results.every((ok) => !ok)) throw new Error('every kube-proxy pod failed');
  }

  /** One node's commands; its status is replaced only once they are done (no half-round states). */
  private async collectNode(
    target: KubeProxyPod,
    commands: ExecCommand[],
    runner: ExecRunner,
  ): Promise<boolean> {
    const state: NodeState = { pod: target.pod.metadata.name, failure: null, forbidden: false, notes: [] };
    try {
      return await this.runCommands(target, commands, runner, state);
    } finally {
      this.nodes.set(target.node, state);
    }
  }

  private async runCommands(
    target: KubeProxyPod,
    commands: ExecCommand[],
    runner: ExecRunner,
    state: NodeState,
  ): Promise<boolean> {
    const { node, pod, container } = target;
    const podKey = podKeyOf(target);
    const exec = { namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name, container };
    const limits: ExecLimits = {
      timeoutMs: this.opts.timeoutMs ?? 30_000,
      maxBytes: this.opts.maxBytes ?? DEFAULT_LIMITS.dumpBytes,
    };
    const missing = this.missing.get(podKey) ?? new Map<string, string>();
    this.missing.set(podKey, missing);
    const run = (command: string[]): Promise<ExecOutcome> => this.limit(() => runner(exec, command, limits));
    let collected = 0;
    // One command after another per node: they take the xtables lock or walk big tables.
    for (const cmd of commands) {
      const bin = cmd.command[0] ?? '';
      const known = missing.get(bin);
      if (known !== undefined) {
        state.notes.push(`${cmd.kind}: ${known}`);
        continue;
      }
      const at = this.now();
      const textOnly = cmd.fallback !== undefined && this.nftTextOnly.has(podKey);
      let outcome = await run(textOnly && cmd.fallback ? cmd.fallback : cmd.command);
      if (!outcome.ok && outcome.reason === 'exit' && cmd.fallback && !textOnly) {
        const second = await run(cmd.fallback);
        if (second.ok) this.nftTextOnly.add(podKey);
        outcome = second;
      }
      if (outcome.ok) {
        this.dumps.put(node, cmd.kind, outcome.stdout, 'exec', at);
        collected++;
        continue;
      }
      if (outcome.reason === 'forbidden' || outcome.reason === 'unreachable') {
        // Every other command would fail the same way: stop here for this node.
        state.forbidden = outcome.reason === 'forbidden';
        state.failure = state.forbidden ? rbacHint(exec.namespace) : outcome.message;
        this.markStale(node);
        return false;
      }
      if (outcome.reason === 'missing') missing.set(bin, outcome.message);
      state.notes.push(`${cmd.kind}: ${outcome.message}`);
      this.dumps.markStale(node, cmd.kind);
    }
    if (collected === 0 && commands.length > 0) {
      state.failure = `nothing collected: ${state.notes.join('; ')}`;
      return false;
    }
    return true;
  }

  private markStale(node: string): void {
    for (const kind of ['iptables', 'ip6tables', 'nft', 'ipvs', 'ipset'] as DumpKind[])
      this.dumps.markStale(node, kind);
  }

  status(): CollectorStatus {
    const why = this.unavailable();
    if (why !== null) return { name: this.name, state: 'error', message: why };
    if (this.rounds === 0)
      return {
        name: this.name,
        state: 'syncing',
        message: 'waiting for the cluster source before the first exec',
      };
    if (this.podsFound === 0)
      return {
        name: this.name,
        state: 'syncing',
        message: `no pods labelled ${this.opts.selector ?? KUBE_PROXY_SELECTOR} found in ${this.opts.namespace ?? KUBE_PROXY_NAMESPACE} yet`,
      };
    const states = [...this.nodes.values()];
    if (states.length === 0)
      return { name: this.name, state: 'syncing', message: 'the first exec round is running' };
    if (states.some((s) => s.forbidden))
      return {
        name: this.name,
        state: 'forbidden',
        message: `cannot exec into kube-proxy pods: ${rbacHint(this.opts.namespace ?? KUBE_PROXY_NAMESPACE)}`,
      };
    const nodes = [...this.nodes.entries()];
    const failing = nodes.flatMap(([node, s]) => (s.failure !== null ? [{ node, message: s.failure }] : []));
    if (failing.length === 0) {
      const notes = nodes.flatMap(([node, s]) => s.notes.map((message) => ({ node, message })));
      return notes.length > 0
        ? {
            name: this.name,
            state: 'ready',
            message: `some dumps were not collected: ${summarizeByNode(notes)}`,
          }
        : { name: this.name, state: 'ready' };
    }
    return {
      name: this.name,
      state: failing.length === nodes.length ? 'error' : 'stale',
      message: `cannot exec into kube-proxy: ${summarizeByNode(failing)}`,
    };
  }
}
