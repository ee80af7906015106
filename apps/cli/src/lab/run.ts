// `svcpath lab`: load the rules svcpath generates into a real kernel and compare it with the tracer.
import {
  defaultProxySettings,
  generateIptables,
  generateNftables,
  parseIptables,
  type GeneratedServicePort,
  type IptablesRuleset,
  type TraceOutcome,
} from '@svcpath/core';
import { spawnSync } from 'node:child_process';
import { InputError } from '../input/read-input.js';
import { compare, observedKey } from './compare.js';
import {
  comparePaths,
  MAX_TRACED,
  parseXtablesTrace,
  TRACE_PORT_BASE,
  TraceMonitor,
  traceRule,
} from './kernel-trace.js';
import { clientPoolAddress, inLabRange, LAB_NET, LabNetwork, MAX_CLIENT_POOL } from './network.js';
import { PodServer } from './pod-server.js';
import { predict } from './predict.js';
import { probe } from './probe.js';
import { builtinScenario, scenarioFromFile, type LabScenario } from './scenario.js';
import type { ServedEndpoint } from './scripts.js';
import { killAll, run, succeeds } from './shell.js';
import type { ChildProcess } from 'node:child_process';
import { planTargets, type PlannedTarget } from './targets.js';
import type { LabHost, LabOptions, LabReport, LabTargetResult } from './types.js';

export const DEFAULT_CONNECTIONS = 300;
export const MAX_CONNECTIONS = 1000;
const DEFAULT_TIMEOUT_MS = 1000;
const CONCURRENCY = 32;

const thisHost = (): LabHost => ({
  platform: process.platform,
  uid: typeof process.getuid === 'function' ? process.getuid() : null,
  runs: succeeds,
});

/** Why the kernel's own trace cannot be read here (xtables-monitor needs the nf_tables backend). */
function kernelTraceUnavailable(): string | null {
  if (!succeeds('xtables-monitor', ['--version'])) return 'xtables-monitor is not installed';
  const version = spawnSync('iptables', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return version.includes('nf_tables') ? null : 'iptables is not the nf_tables variant';
}

/** Why the lab cannot run on this machine, or null when it can. */
export function labUnavailable(mode: 'iptables' | 'nftables', host: LabHost = thisHost()): string | null {
  if (host.platform !== 'linux') return `needs Linux network namespaces (this is ${host.platform})`;
  if (host.uid !== 0) return 'needs root to create network namespaces';
  if (!host.runs('ip', ['netns', 'list'])) return '`ip netns` is not available (install iproute2)';
  if (mode === 'iptables' && !host.runs('iptables-restore', ['--version']))
    return '`iptables-restore` is not available (install iptables)';
  if (mode === 'nftables' && !host.runs('nft', ['--version']))
    return '`nft` is not available (install nftables)';
  return null;
}

/** Every distinct endpoint socket the pods must serve. */
function servedEndpoints(ports: readonly GeneratedServicePort[]): ServedEndpoint[] {
  const byKey = new Map<string, ServedEndpoint>();
  for (const { port } of ports) {
    if (port.protocol === 'SCTP') continue;
    const proto = port.protocol === 'UDP' ? 'udp' : 'tcp';
    for (const ep of port.endpoints) {
      if (!ep.ip.includes('.')) continue;
      const key = `${proto} ${ep.endpoint}`;
      if (!byKey.has(key))
        byKey.set(key, {
          ip: ep.ip,
          port: ep.port,
          proto,
          name: `${port.namespace}/${port.serviceName} ${ep.endpoint}`,
        });
    }
  }
  return [...byKey.values()];
}

function loadScenario(options: LabOptions): LabScenario {
  if (!options.clusterFile) return builtinScenario();
  if (!options.node) throw new InputError('--cluster needs --node: the node whose rules the lab loads');
  return scenarioFromFile(
    options.clusterFile,
    options.node,
    options.clusterCIDR ? options.clusterCIDR.split(',') : [],
  );
}

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
  const settings = defaultProxySettings(scenario.node, [LAB_NET.nodeIP]);
  const cidrs = options.clusterCIDR ? options.clusterCIDR.split(',') : scenario.clusterCIDRs;
  if (cidrs.length) {
    settings.clusterCIDRs = cidrs;
    settings.detectLocalMode = 'ClusterCIDR';
  }
  // A fresh namespace has no nfacct objects; kube-proxy leaves those rules out then too.
  const generated = generateIptables(scenario.state, settings, { family: 4, format: 'save', nfacct: false });
  report.notes.push(...generated.issues.map((i) => `generate: ${i.message}`));
  // The tracer walks iptables rulesets: in nftables mode the prediction is the iptables-mode trace
  // of the same cluster, i.e. the lab checks that both of kube-proxy's modes behave alike.
  const ruleset = parseIptables(generated.text);
  const nft =
    mode === 'nftables'
      ? generateNftables(scenario.state, settings, { family: 4, format: 'transaction' })
      : null;
  if (nft) {
    report.notes.push(...nft.issues.map((i) => `generate nftables: ${i.message}`));
    report.notes.push(
      'nftables mode: predictions come from tracing the iptables rules generated for the same cluster (the tracer reads iptables rulesets)',
    );
  }
  const served = servedEndpoints(generated.servicePorts);
  const clash = served.find((e) => inLabRange(e.ip));
  if (clash) throw new InputError(`endpoint ${clash.ip} is inside the lab's own range 198.18.0.0/15`);
  const { targets, notes } = planTargets(generated.servicePorts);
  report.notes.push(...notes);
  const affinityPorts = generated.servicePorts.some(({ port }) => port.stickyMaxAgeSeconds > 0);
  const pool = affinityPorts ? Math.min(n, MAX_CLIENT_POOL) : 0;

  const network = new LabNetwork();
  const server = new PodServer();
  const children = new Set<ChildProcess>();
  const cleanup = () => {
    killAll(children);
    server.stop();
    network.destroySync();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    report.namespaces = (['client', 'node', 'pods'] as const).map((r) => network.name(r));
    log(`creating namespaces ${report.namespaces.join(', ')}`);
    try {
      await network.create({ podIPs: [...new Set(served.map((e) => e.ip))], clientPool: pool });
    } catch (e) {
      if (network.created.length === 0)
        return finish('skipped', `cannot create network namespaces: ${(e as Error).message}`);
      throw e;
    }
    if (nft) {
      log('loading the generated nftables table with nft -f');
      await run('ip', ['netns', 'exec', network.name('node'), 'nft', '-f', '-'], { input: nft.text });
    } else {
      log(`loading ${ruleset.tables.size} tables of generated rules with iptables-restore`);
      await run('ip', ['netns', 'exec', network.name('node'), 'iptables-restore'], { input: generated.text });
    }
    log(`starting the pod server for ${served.length} endpoint sockets`);
    if (served.length) await server.start(network.name('pods'), served);

    const tracing = options.kernelTrace !== false && mode === 'iptables';
    const traceProblem = tracing ? kernelTraceUnavailable() : null;
    if (traceProblem) report.notes.push(`kernel path not compared: ${traceProblem}`);
    let monitor: TraceMonitor | null = null;
    if (tracing && !traceProblem) {
      const rules = targets.slice(0, MAX_TRACED).map((t, i) => {
        const traced = {
          src: t.origin === 'node' ? LAB_NET.nodeIP : LAB_NET.clientIP,
          dst: t.dst,
          dport: t.dport,
          proto: t.protocol === 'UDP' ? ('udp' as const) : ('tcp' as const),
          sport: TRACE_PORT_BASE + i,
        };
        return traceRule(t.origin === 'node' ? 'OUTPUT' : 'PREROUTING', traced);
      });
      await run('ip', ['netns', 'exec', network.name('node'), 'iptables-restore', '--noflush'], {
        input: ['*raw', ...rules, 'COMMIT', ''].join('\n'),
      });
      monitor = new TraceMonitor();
      await monitor.start(network.name('node'), children);
    }
    const ctx: TargetContext = { network, ruleset, n, pool, timeoutMs, children, monitor };
    const pending: PendingTrace[] = [];
    for (const [index, target] of targets.entries()) {
      const { result, pending: traced } = await runTarget(ctx, target, index);
      report.targets.push(result);
      if (traced) pending.push(traced);
      log(`${result.ok ? 'ok  ' : 'FAIL'} ${describeTarget(result)}`);
    }
    if (monitor) {
      await settleTraces(monitor, pending);
      monitor.stop();
      log(
        `kernel paths: ${pending.filter((p) => p.result.checks.at(-1)?.ok).length}/${pending.length} match the tracer`,
      );
    }
    const skippedAffinity = report.targets.filter((t) => t.affinity && t.origin === 'node').length;
    if (skippedAffinity)
      report.notes.push('affinity targets from the node use its one address: compared as one client');
    if (report.targets.length === 0) report.notes.push('no TCP or UDP service port to probe');
    return finish(report.targets.every((t) => t.ok) ? 'passed' : 'failed');
  } catch (e) {
    return finish('failed', e instanceof Error ? e.message : String(e));
  } finally {
    cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export function describeTarget(
  t: Pick<LabTargetResult, 'service' | 'protocol' | 'entry' | 'origin' | 'dst' | 'dport'>,
): string {
  return `${t.service} ${t.protocol} ${t.entry} ${t.dst}:${t.dport} from ${t.origin}`;
}

interface TargetContext {
  network: LabNetwork;
  ruleset: IptablesRuleset;
  n: number;
  pool: number;
  timeoutMs: number;
  children: Set<ChildProcess>;
  /** Set when one connection per target is traced in the kernel. */
  monitor: TraceMonitor | null;
}

/** A traced connection whose kernel path is compared once the monitor has printed it. */
interface PendingTrace {
  result: LabTargetResult;
  key: string;
  candidates: TraceOutcome[];
}

async function runTarget(
  ctx: TargetContext,
  target: PlannedTarget,
  index: number,
): Promise<{ result: LabTargetResult; pending: PendingTrace | null }> {
  const { network, ruleset } = ctx;
  const src = target.origin === 'node' ? LAB_NET.nodeIP : LAB_NET.clientIP;
  const proto: 'tcp' | 'udp' = target.protocol === 'UDP' ? 'udp' : 'tcp';
  const local = network.nodeAddresses();
  const packetFrom = (from: string) => ({ src: from, dst: target.dst, dport: target.dport, proto }) as const;
  const basePrediction = predict(ruleset, packetFrom(src), local);
  let prediction = basePrediction;
  const probeConfig = {
    proto,
    dst: target.dst,
    dport: target.dport,
    timeoutMs: ctx.timeoutMs,
    concurrency: CONCURRENCY,
  };
  const netns = network.name(target.origin);

  // Affinity pins a client, so the shares are measured over distinct clients, each connecting twice.
  const distinctClients = prediction.affinity && target.origin === 'client' && ctx.pool > 0;
  if (distinctClients) prediction = predict(ruleset, packetFrom(clientPoolAddress(0)), local);
  const sources: string[] = distinctClients
    ? Array.from({ length: Math.min(ctx.n, ctx.pool) }, (_, i) => clientPoolAddress(i))
    : Array.from({ length: ctx.n }, () => src);
  // One connection from a port outside the ephemeral range that a TRACE rule follows, then the rest.
  const sport = ctx.monitor && index < MAX_TRACED ? TRACE_PORT_BASE + index : null;
  const { traced, clients } = await probe(
    netns,
    {
      ...probeConfig,
      sources: distinctClients || !prediction.affinity ? sources : [src],
      repeat: distinctClients ? 2 : prediction.affinity ? ctx.n : 1,
      // Shorter than TCP's first SYN retransmission (1 s), so exactly one SYN is traced.
      ...(sport !== null
        ? { traced: { src, localPort: sport, timeoutMs: Math.min(ctx.timeoutMs, 900) } }
        : {}),
    },
    ctx.children,
  );
  const tracedKey = traced ? observedKey(traced) : null;
  const pending =
    sport !== null && tracedKey !== null
      ? {
          key: `${src}:${sport}`,
          candidates: basePrediction.keyed.filter((k) => k.key === tracedKey).map((k) => k.outcome),
        }
      : null;
  const { outcomes, checks } = compare(prediction, clients);
  const result: LabTargetResult = {
    ...target,
    src: distinctClients ? `${clientPoolAddress(0)}…` : src,
    connections: clients.length,
    affinity: prediction.affinity,
    outcomes,
    checks,
    notes: prediction.warnings.map((w) => `tracer: ${w}`),
    ok: checks.every((c) => c.ok),
  };
  return { result, pending: pending ? { ...pending, result } : null };
}

/** Adds the path check to every traced target, from everything the monitor printed. */
async function settleTraces(monitor: TraceMonitor, pending: readonly PendingTrace[]): Promise<void> {
  // The monitor prints asynchronously; give it a moment after the last connection.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const paths = parseXtablesTrace(monitor.output());
  for (const p of pending) {
    const kernel = paths.get(p.key);
    if (kernel) p.result.kernelPath = kernel;
    const check = comparePaths(kernel, p.candidates);
    p.result.checks.push(check);
    p.result.ok &&= check.ok;
  }
}
