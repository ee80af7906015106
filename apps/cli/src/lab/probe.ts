// The probe program, one per origin namespace, fed one job per target.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROBE_SCRIPT, type ProbeConfig, type ProbeOutput } from './scripts.js';
import { spawn } from './shell.js';

/** The longest a job may take: every round of connections timing out, twice over, plus slack. */
export function jobLimitMs(config: ProbeConfig): number {
  const rounds = Math.ceil(config.sources.length / Math.max(1, config.concurrency)) * config.repeat;
  return rounds * config.timeoutMs * 2 + (config.traced?.timeoutMs ?? 0) + 15_000;
}

export class Prober {
  readonly #child: ChildProcess;
  #waiting: ((line: string | null) => void) | null = null;
  #stderr = '';

  /** Starts the probe program inside `netns`; it is registered in `track` for cleanup. */
  constructor(netns: string, track: Set<ChildProcess>) {
    this.#child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', PROBE_SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track.add(this.#child);
    this.#child.on('error', () => this.#waiting?.(null));
    this.#child.on('exit', () => this.#waiting?.(null));
    this.#child.stderr?.on('data', (d: Buffer) => {
      if (this.#stderr.length < 4096) this.#stderr += d.toString();
    });
    if (this.#child.stdout)
      createInterface({ input: this.#child.stdout }).on('line', (l) => this.#waiting?.(l));
  }

  /** Runs one job; jobs must not overlap. */
  async run(config: ProbeConfig): Promise<ProbeOutput> {
    if (this.#waiting) throw new Error('probe jobs must run one at a time');
    const line = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => {
        this.#child.kill('SIGKILL');
        resolve(null);
      }, jobLimitMs(config));
      this.#waiting = (l) => {
        clearTimeout(timer);
        this.#waiting = null;
        resolve(l);
      };
      this.#child.stdin?.write(JSON.stringify(config) + '\n');
    });
    if (line === null)
      throw new Error(`the probe stopped${this.#stderr.trim() ? `: ${this.#stderr.trim()}` : ''}`);
    const parsed = JSON.parse(line) as Partial<ProbeOutput> & { error?: string };
    if (parsed.error) throw new Error(`probe: ${parsed.error}`);
    if (!Array.isArray(parsed.clients) || parsed.clients.length !== config.sources.length)
      throw new Error('probe printed an unexpected result');
    return { traced: parsed.traced ?? null, clients: parsed.clients };
  }

  /** Closes its input, so it exits once idle. */
  close(): void {
    this.#child.stdin?.end();
  }
}
