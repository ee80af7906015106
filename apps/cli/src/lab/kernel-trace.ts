// The kernel's own account of one connection: a raw-table TRACE rule and `xtables-monitor --trace`,
// compared rule by rule with the tracer's path.
import type { ChildProcess } from 'node:child_process';
import type { TraceOutcome } from '@svcpath/core';
import { spawn } from './shell.js';
import type { LabCheck } from './types.js';

/** Source ports of traced connections: above Linux's ephemeral range, so probes never collide. */
export const TRACE_PORT_BASE = 61000;
export const MAX_TRACED = 4000;

/** One step the kernel reported: `table chain policy VERDICT` or `table -A CHAIN …` (a rule's text). */
export type PathStep = string;

/** The raw-table TRACE rule (restore syntax) that follows the first packet of one connection. */
export function traceRule(
  from: 'PREROUTING' | 'OUTPUT',
  packet: { src: string; dst: string; dport: number; proto: 'tcp' | 'udp'; sport: number },
): string {
  const { src, dst, dport, proto, sport } = packet;
  // Only the first packet (--syn for TCP): the tracer models the packet that opens the connection.
  const first = proto === 'tcp' ? ' --syn' : '';
  return `-A ${from} -s ${src}/32 -d ${dst}/32 -p ${proto} -m ${proto} --sport ${sport} --dport ${dport}${first} -j TRACE`;
}

const PACKET_LINE = /^PACKET: \d+ ([0-9a-f]+) .*?\bSRC=(\S+) .*?\bSPORT=(\d+)/;
const RULE_LINE = /^ TRACE: \d+ ([0-9a-f]+) (\w+):(\S+?):rule:0x[0-9a-f]+:\S+\s+-4 -t (\w+) (-A .*)$/;
const POLICY_LINE = /^ TRACE: \d+ ([0-9a-f]+) (\w+):(\S+?):policy:(\w+)/;

/**
 * The kernel's path of the traced packet from each `SRC:SPORT` in `xtables-monitor --trace` output.
 * Trace ids come from socket-buffer addresses, which the kernel reuses, so each step belongs to
 * the packet its id last announced in a `PACKET:` line. Raw-table steps are left out: they are
 * the lab's TRACE rules, and kube-proxy writes none.
 */
export function parseXtablesTrace(text: string): Map<string, PathStep[]> {
  const keyOf = new Map<string, string>();
  const steps = new Map<string, PathStep[]>();
  const add = (id: string, step: string) => {
    const key = keyOf.get(id);
    if (key === undefined) return;
    const list = steps.get(key) ?? [];
    list.push(step);
    steps.set(key, list);
  };
  for (const line of text.split('\n')) {
    const packet = PACKET_LINE.exec(line);
    if (packet) {
      const [, id = '', src = '', sport = ''] = packet;
      keyOf.set(id, `${src}:${sport}`);
      continue;
    }
    const rule = RULE_LINE.exec(line);
    if (rule) {
      const [, id = '', table = '', , , text = ''] = rule;
      if (table !== 'raw') add(id, `${table} ${text}`);
      continue;
    }
    const policy = POLICY_LINE.exec(line);
    if (policy) {
      const [, id = '', table = '', chain = '', verdict = ''] = policy;
      if (table !== 'raw') add(id, `${table} ${chain} policy ${verdict}`);
    }
  }
  return steps;
}

/** The tracer's path of one outcome in the same terms. */
export function tracerPath(o: TraceOutcome): PathStep[] {
  return o.path
    .filter((s) => s.table !== 'raw')
    .map((s) => (s.rule === null ? `${s.table} ${s.chain} ${s.action}` : `${s.table} ${s.text}`));
}

/** Whether one of the tracer's outcomes for what happened took exactly the kernel's path. */
export function comparePaths(kernel: PathStep[] | undefined, candidates: readonly TraceOutcome[]): LabCheck {
  if (!kernel || kernel.length === 0)
    return { name: 'path', ok: false, detail: 'the kernel reported no trace for the traced connection' };
  if (candidates.length === 0)
    return { name: 'path', ok: false, detail: 'no tracer outcome ends the way the traced connection did' };
  const paths = candidates.map(tracerPath);
  if (paths.some((p) => p.length === kernel.length && p.every((s, i) => s === kernel[i])))
    return {
      name: 'path',
      ok: true,
      detail: `kernel trace of one connection matches the tracer's path (${kernel.length} steps)`,
    };
  const best = paths[0] ?? [];
  const at = best.findIndex((s, i) => s !== kernel[i]);
  const i = at === -1 ? best.length : at;
  return {
    name: 'path',
    ok: false,
    detail: `differs at step ${i + 1}: kernel ${kernel[i] ?? '(end)'} / tracer ${best[i] ?? '(end)'}`,
  };
}

/** `xtables-monitor --trace` in the node namespace for the whole run. */
export class TraceMonitor {
  #child: ChildProcess | null = null;
  #out = '';

  /** Starts the monitor; resolves after a short settle time (it prints nothing until an event). */
  async start(netns: string, track: Set<ChildProcess>): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', netns, 'xtables-monitor', '--trace'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.#child = child;
    track.add(child);
    child.stdout?.on('data', (d: Buffer) => {
      if (this.#out.length < 64 * 1024 * 1024) this.#out += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 300);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** What the monitor printed so far. */
  output(): string {
    return this.#out;
  }

  stop(): void {
    if (this.#child && this.#child.exitCode === null) this.#child.kill('SIGKILL');
    this.#child = null;
  }
}
