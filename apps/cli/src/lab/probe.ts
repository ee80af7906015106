// Runs the probe program in the client or node namespace and reads its results.
import type { ChildProcess } from 'node:child_process';
import { PROBE_SCRIPT, type ProbeConfig, type ProbeOutput } from './scripts.js';
import { run } from './shell.js';

/** Sends the connections of `config` from inside `netns`; bounded by the connection timeouts. */
export async function probe(
  netns: string,
  config: ProbeConfig,
  track?: Set<ChildProcess>,
): Promise<ProbeOutput> {
  const rounds = Math.ceil(config.sources.length / Math.max(1, config.concurrency)) * config.repeat;
  const limit = rounds * config.timeoutMs * 2 + (config.traced?.timeoutMs ?? 0) + 15_000;
  const out = await run(
    'ip',
    ['netns', 'exec', netns, process.execPath, '-e', PROBE_SCRIPT, JSON.stringify(config)],
    { timeoutMs: limit, ...(track ? { track } : {}) },
  );
  const parsed = JSON.parse(out) as Partial<ProbeOutput> | null;
  if (!parsed || !Array.isArray(parsed.clients) || parsed.clients.length !== config.sources.length)
    throw new Error('probe printed an unexpected result');
  return { traced: parsed.traced ?? null, clients: parsed.clients };
}
