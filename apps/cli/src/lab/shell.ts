// Running the few system commands the lab needs, with timeouts and readable errors.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';

const COMMAND_TIMEOUT_MS = 15_000;

export class CommandError extends Error {}

/** Runs `cmd args…` with optional standard input; resolves with stdout, rejects with stderr. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { input?: string; timeoutMs?: number; track?: Set<ChildProcess> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { timeout: opts.timeoutMs ?? COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        opts.track?.delete(child);
        if (err) {
          const why = stderr.trim() || err.message;
          reject(new CommandError(`${cmd} ${args.slice(0, 6).join(' ')}: ${why}`));
        } else resolve(stdout);
      },
    );
    opts.track?.add(child);
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input ?? '');
  });
}

/** Whether `cmd args…` exits 0 (for feature checks). */
export function succeeds(cmd: string, args: readonly string[]): boolean {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return r.status === 0;
}

/** Synchronous variant for cleanup from a signal handler; never throws. */
export function runQuietlySync(cmd: string, args: readonly string[], input?: string): void {
  spawnSync(cmd, args, {
    timeout: COMMAND_TIMEOUT_MS,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'],
    ...(input === undefined ? {} : { input }),
  });
}

/** Kills every process in `track` (cleanup after an error or a signal). */
export function killAll(track: Set<ChildProcess>): void {
  for (const child of track) if (child.exitCode === null) child.kill('SIGKILL');
  track.clear();
}

export { spawn };
