// One target: predict with the tracer, probe the kernel, compare; and the kernel-trace bookkeeping.
import type { ChildProcess } from 'node:child_process';
import type { IptablesRuleset, TraceOutcome } from '@svcpath/core';
import { compare, observedKey } from './compare.js';
import {
  comparePaths,
  MAX_TRACED,
  parseXtablesTrace,
  TRACE_PORT_BASE,
  TraceMonitor,
  traceRule,
} from './kernel-trace.js';
import { clientPoolAddress, type LabNetwork } from './network.js';
import { predict } from './predict.js';
import { probe } from './probe.js';
import { run } from './shell.js';
import type { PlannedTarget } from './targets.js';
import type { LabTargetResult } from './types.js';

const CONCURRENCY = 32;

export interface TargetContext {
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
export interface PendingTrace {
  result: LabTargetResult;
  key: string;
  candidates: TraceOutcome[];
}

const protoOf = (t: PlannedTarget): 'tcp' | 'udp' => (t.protocol === 'UDP' ? 'udp' : 'tcp');

/**
 * Loads one raw-table TRACE rule per target (each for its own source port) and starts
 * `xtables-monitor --trace` in the node namespace.
 */
export async function startKernelTrace(
  network: LabNetwork,
  targets: readonly PlannedTarget[],
  children: Set<ChildProcess>,
): Promise<TraceMonitor> {
  const rules = targets.slice(0, MAX_TRACED).map((t, i) =>
    traceRule(t.origin === 'node' ? 'OUTPUT' : 'PREROUTING', {
      src: t.src,
      dst: t.dst,
      dport: t.dport,
      proto: protoOf(t),
      sport: TRACE_PORT_BASE + i,
    }),
  );
  await run('ip', ['netns', 'exec', network.name('node'), 'iptables-restore', '--noflush'], {
    input: ['*raw', ...rules, 'COMMIT', ''].join('\n'),
  });
  const monitor = new TraceMonitor();
  await monitor.start(network.name('node'), children);
  return monitor;
}

export function describeTarget(
  t: Pick<LabTargetResult, 'service' | 'protocol' | 'entry' | 'origin' | 'dst' | 'dport'>,
): string {
  return `${t.service} ${t.protocol} ${t.entry} ${t.dst}:${t.dport} from ${t.origin}`;
}

/** Probes one target (after the traced connection, when tracing) and compares it with the tracer. */
export async function runTarget(
  ctx: TargetContext,
  target: PlannedTarget,
  index: number,
): Promise<{ result: LabTargetResult; pending: PendingTrace | null }> {
  const { network, ruleset } = ctx;
  const src = target.src;
  const proto = protoOf(target);
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
export async function settleTraces(monitor: TraceMonitor, pending: readonly PendingTrace[]): Promise<void> {
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
