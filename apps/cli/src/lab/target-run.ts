// One target: predict with the tracer, probe the kernel, compare; and the kernel-trace bookkeeping.
import type { ChildProcess } from 'node:child_process';
import type { TraceOutcome } from '@svcpath/core';
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
import { predict, type Tracer } from './predict.js';
import type { Prober } from './probe.js';
import { run } from './shell.js';
import type { PlannedTarget } from './targets.js';
import type { LabTargetResult } from './types.js';

const CONCURRENCY = 64;

export interface TargetContext {
  network: LabNetwork;
  /** Traces a packet through the rules loaded into the node (iptables or nftables). */
  trace: Tracer;
  n: number;
  pool: number;
  timeoutMs: number;
  children: Set<ChildProcess>;
  /** Set when one connection per target is traced in the kernel. */
  monitor: TraceMonitor | null;
  /** The probe program of each origin namespace. */
  probers: Record<PlannedTarget['origin'], Prober>;
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

/**
 * Who connects, and how often. Plain targets: one source, N connections. ClientIP affinity pins a
 * client, so from the client side the shares are measured over N distinct clients connecting
 * twice each; the node and the local pod have one address, so they are one client connecting N times.
 */
function clientPlan(
  target: PlannedTarget,
  affinity: boolean,
  ctx: TargetContext,
): { sources: string[]; repeat: number; label: string } {
  if (affinity && target.origin === 'client' && ctx.pool > 0) {
    const sources = Array.from({ length: Math.min(ctx.n, ctx.pool) }, (_, i) => clientPoolAddress(i));
    return { sources, repeat: 2, label: `${sources[0] ?? ''}…${sources.at(-1) ?? ''}` };
  }
  if (affinity) return { sources: [target.src], repeat: ctx.n, label: target.src };
  return { sources: Array.from({ length: ctx.n }, () => target.src), repeat: 1, label: target.src };
}

/** Probes one target (after the traced connection, when tracing) and compares it with the tracer. */
export async function runTarget(
  ctx: TargetContext,
  target: PlannedTarget,
  index: number,
): Promise<{ result: LabTargetResult; pending: PendingTrace | null }> {
  const { network, trace } = ctx;
  const proto = protoOf(target);
  const local = network.nodeAddresses();
  const packetFrom = (src: string) => ({ src, dst: target.dst, dport: target.dport, proto }) as const;
  const fromTarget = predict(trace, packetFrom(target.src), local);
  const plan = clientPlan(target, fromTarget.affinity, ctx);
  const first = plan.sources[0] ?? target.src;
  const prediction = first === target.src ? fromTarget : predict(trace, packetFrom(first), local);

  // One connection from a port outside the ephemeral range that a TRACE rule follows, then the rest.
  const sport = ctx.monitor && index < MAX_TRACED ? TRACE_PORT_BASE + index : null;
  const { traced, clients } = await ctx.probers[target.origin].run({
    proto,
    dst: target.dst,
    dport: target.dport,
    timeoutMs: ctx.timeoutMs,
    concurrency: CONCURRENCY,
    sources: plan.sources,
    repeat: plan.repeat,
    // Shorter than TCP's first SYN retransmission (1 s), so exactly one SYN is traced.
    ...(sport !== null
      ? { traced: { src: target.src, localPort: sport, timeoutMs: Math.min(ctx.timeoutMs, 900) } }
      : {}),
  });
  const { outcomes, checks } = compare(prediction, clients);
  const result: LabTargetResult = {
    ...target,
    src: plan.label,
    connections: clients.length,
    affinity: prediction.affinity,
    outcomes,
    checks,
    notes: prediction.warnings.map((w) => `tracer: ${w}`),
    ok: checks.every((c) => c.ok),
  };
  const tracedKey = traced ? observedKey(traced) : null;
  const pending: PendingTrace | null =
    sport !== null && tracedKey !== null
      ? {
          result,
          key: `${target.src}:${sport}`,
          candidates: fromTarget.keyed.filter((k) => k.key === tracedKey).map((k) => k.outcome),
        }
      : null;
  return { result, pending };
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
