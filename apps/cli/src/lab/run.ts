// `svcpath lab`: load the rules svcpath generates into a real kernel and compare it with the tracer.
import type { ChildProcess } from 'node:child_process';
import {
  defaultProxySettings,
  generateIptables,
  generateNftables,
  parseIptables,
  parseNftText,
  traceIptables,
  traceNftables,
} from '@svcpath/core';
import { InputError } from '../input/read-input.js';
import { onInterrupt } from './cleanup.js';
import { inLabRange, LAB_NET, LabNetwork, MAX_CLIENT_POOL, ROLES } from './network.js';
import { PodServer } from './pod-server.js';
import type { Tracer } from './predict.js';
import { Prober } from './probe.js';
import { kernelTraceUnavailable, labUnavailable } from './preflight.js';
import { builtinScenario, scenarioFromFile, type LabScenario } from './scenario.js';
import { killAll, run } from './shell.js';
import {
  describeTarget,
  runTarget,
  settleTraces,
  startKernelTrace,
  type PendingTrace,
  type TargetContext,
} from './target-run.js';
import { chooseLocalPod, planTargets, servedEndpoints } from './targets.js';
import type { LabOptions, LabReport } from './types.js';

export const DEFAULT_CONNECTIONS = 300;
export const MAX_CONNECTIONS = 1000;
const DEFAULT_TIMEOUT_MS = 1000;

function loadScenario(options: LabOptions): LabScenario {
  if (!options.clusterFile) return builtinScenario();
  if (!options.node) throw new InputError('--cluster needs --node: the node whose rules the lab loads');
  return scenarioFromFile(
    options.clusterFile,
    options.node,
    options.clusterCIDR ? options.clusterCIDR.split(',') : [],
  );
}

/**
 * Builds the lab (client, node and pods namespaces), loads the node's generated rules, probes every
 * Service port and compares with the tracer. Returns a `skipped` report when the machine cannot
 * run it; throws `InputError` only for a bad cluster file or node. Everything it creates is
 * removed before it returns, also on errors and on SIGINT/SIGTERM.
 */
export async function runLab(options: LabOptions = {}): Promise<LabReport> {
  const started = Date.now();
  const mode = options.mode ?? 'iptables';
  const log = options.log ?? (() => {});
  const n = Math.max(1, Math.min(MAX_CONNECTIONS, Math.floor(options.connections ?? DEFAULT_CONNECTIONS)));
  const timeoutMs = Math.max(50, Math.min(10_000, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const report: LabReport = {
    status: 'skipped',
    mode,
    scenario: options.clusterFile ?? 'built-in',
    node: options.node ?? '',
    connectionsPerTarget: n,
    targets: [],
    namespaces: [],
    notes: [],
    durationMs: 0,
  };
  const finish = (status: LabReport['status'], reason?: string): LabReport => {
    report.status = status;
    if (reason !== undefined) report.reason = reason;
    report.durationMs = Date.now() - started;
    return report;
  };

  const unavailable = labUnavailable(mode, options.host);
  if (unavailable) return finish('skipped', unavailable);

  const scenario = loadScenario(options);
  report.node = scenario.node;
  report.notes.push(...scenario.warnings);
  if (options.clusterFile)
    report.notes.push(
      `node ${scenario.node} plays its part with the lab address ${LAB_NET.nodeIP} as its node IP`,
    );
  const settings = defaultProxySettings(scenario.node, [LAB_NET.nodeIP]);
  const cidrs = options.clusterCIDR ? options.clusterCIDR.split(',') : scenario.clusterCIDRs;
  if (cidrs.length) {
    settings.clusterCIDRs = cidrs;
    settings.detectLocalMode = 'ClusterCIDR';
  }
  // A fresh namespace has no nfacct objects; kube-proxy leaves those rules out then too.
  const generated = generateIptables(scenario.state, settings, { family: 4, format: 'save', nfacct: false });
  report.notes.push(...generated.issues.map((i) => `generate: ${i.message}`));
  const ruleset = parseIptables(generated.text);
  const nft =
    mode === 'nftables'
      ? generateNftables(scenario.state, settings, { family: 4, format: 'transaction' })
      : null;
  if (nft) report.notes.push(...nft.issues.map((i) => `generate nftables: ${i.message}`));
  // Predictions come from tracing exactly the rules loaded into the node.
  const nftRuleset = nft ? parseNftText(nft.text) : null;
  const trace: Tracer = nftRuleset
    ? (packet, node) => traceNftables(nftRuleset, packet, node)
    : (packet, node) => traceIptables(ruleset, packet, node);
  const served = servedEndpoints(generated.servicePorts);
  const clash = served.find((e) => inLabRange(e.ip));
  if (clash) throw new InputError(`endpoint ${clash.ip} is inside the lab's own range 198.18.0.0/15`);
  const localPod = chooseLocalPod(generated.servicePorts);
  const { targets, notes } = planTargets(generated.servicePorts, localPod);
  report.notes.push(...notes);
  const affinityPorts = generated.servicePorts.some(({ port }) => port.stickyMaxAgeSeconds > 0);
  const pool = affinityPorts ? Math.min(n, MAX_CLIENT_POOL) : 0;

  const network = new LabNetwork();
  // The pods, and apart from them the node's local pod, each namespace with its own server.
  const servers = [new PodServer(), new PodServer()] as const;
  const inPods = served.filter((e) => e.ip !== localPod);
  const inLocalPod = served.filter((e) => e.ip === localPod);
  const children = new Set<ChildProcess>();
  const cleanup = () => {
    killAll(children);
    for (const s of servers) s.stop();
    network.destroySync();
  };
  const forget = onInterrupt(cleanup);
  try {
    report.namespaces = ROLES.map((r) => network.name(r));
    log(`creating namespaces ${report.namespaces.join(', ')}`);
    try {
      await network.create({
        podIPs: [...new Set(inPods.map((e) => e.ip))],
        localPodIP: localPod,
        clientPool: pool,
      });
    } catch (e) {
      if (network.created.length === 0)
        return finish('skipped', `cannot create network namespaces: ${(e as Error).message}`);
      throw e;
    }
    const alter = options.alterLoadedRules ?? ((text: string) => text);
    if (nft) {
      log('loading the generated nftables table with nft -f');
      await run('ip', ['netns', 'exec', network.name('node'), 'nft', '-f', '-'], { input: alter(nft.text) });
    } else {
      log(`loading ${ruleset.tables.size} tables of generated rules with iptables-restore`);
      await run('ip', ['netns', 'exec', network.name('node'), 'iptables-restore'], {
        input: alter(generated.text),
      });
    }
    log(`starting the pod servers for ${served.length} endpoint sockets`);
    if (inPods.length) await servers[0].start(network.name('pods'), inPods);
    if (inLocalPod.length) await servers[1].start(network.name('pod'), inLocalPod);

    const tracing = options.kernelTrace !== false && mode === 'iptables';
    const traceProblem = tracing ? kernelTraceUnavailable() : null;
    if (traceProblem) report.notes.push(`kernel path not compared: ${traceProblem}`);
    if (mode === 'nftables' && options.kernelTrace !== false)
      report.notes.push(
        'kernel path not compared in nftables mode: the kernel trace follows xtables TRACE rules only',
      );
    const monitor = tracing && !traceProblem ? await startKernelTrace(network, targets, children) : null;
    const probers = {
      client: new Prober(network.name('client'), children),
      node: new Prober(network.name('node'), children),
      pod: new Prober(network.name('pod'), children),
    };
    const ctx: TargetContext = { network, trace, n, pool, timeoutMs, children, monitor, probers };
    const pending: PendingTrace[] = [];
    for (const [index, target] of targets.entries()) {
      const { result, pending: traced } = await runTarget(ctx, target, index);
      report.targets.push(result);
      if (traced) pending.push(traced);
      log(`${result.ok ? 'ok  ' : 'FAIL'} ${describeTarget(result)}`);
    }
    for (const p of Object.values(probers)) p.close();
    if (monitor) {
      await settleTraces(monitor, pending);
      monitor.stop();
      log(
        `kernel paths: ${pending.filter((p) => p.result.checks.at(-1)?.ok).length}/${pending.length} match the tracer`,
      );
    }
    if (report.targets.some((t) => t.affinity && t.origin !== 'client'))
      report.notes.push(
        'ClientIP affinity from the node or the local pod: one source address, so one client (pinning checked, shares not)',
      );
    if (report.targets.length === 0) report.notes.push('no TCP or UDP service port to probe');
    return finish(report.targets.every((t) => t.ok) ? 'passed' : 'failed');
  } catch (e) {
    return finish('failed', e instanceof Error ? e.message : String(e));
  } finally {
    cleanup();
    forget();
  }
}
