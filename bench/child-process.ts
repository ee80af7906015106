// Starts a bench helper script (api-double.ts, server-process.ts) as a child process and waits for
// the `<tag> <json>` line it prints once ready. The child ends when its stdin closes, so it does not
// outlive the section even if the section dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HelperProcess<T> {
  info: T;
  child: ChildProcess;
  /** Resident and peak resident memory of the child from /proc, in MB (null where there is no /proc). */
  memory(): { rssMb: number; peakRssMb: number } | null;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

export function startHelper<T>(
  script: string,
  tag: string,
  args: readonly string[],
): Promise<HelperProcess<T>> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const memory = (): { rssMb: number; peakRssMb: number } | null => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (key: string): number =>
        Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
    } catch {
      return null;
    }
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith(`${tag} `));
      if (!line) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume(); // later output is not read; keep the pipe flowing
      resolve({ info: JSON.parse(line.slice(tag.length + 1)) as T, child, memory, stop });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${script} exited (${code ?? 'signal'}) before it was ready`)),
    );
  });
}
