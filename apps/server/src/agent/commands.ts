// The commands that read a node's dataplane, run with a timeout each. A missing tool or a failing
// command is reported for that dump only; the others are still collected.
import { execFile } from 'node:child_process';
import type { DumpKind } from '@svcpath/core';

export interface CommandResult {
  ok: boolean;
  stdout: string;
  /** Why it failed: missing tool, exit status, timeout. */
  error?: string;
}

export type CommandRunner = (command: string, args: string[], timeoutMs: number) => Promise<CommandResult>;

/** What is collected, by dump kind; `ipvs-stats` is kept beside `ipvs` for the counters. */
export const DUMP_COMMANDS: ReadonlyArray<{ key: DumpKind | 'ipvs-stats'; command: string; args: string[] }> =
  [
    { key: 'iptables', command: 'iptables-save', args: ['-c'] },
    { key: 'ip6tables', command: 'ip6tables-save', args: ['-c'] },
    { key: 'nft', command: 'nft', args: ['-j', 'list', 'ruleset'] },
    { key: 'ipvs', command: 'ipvsadm', args: ['-S', '-n'] },
    { key: 'ipvs-stats', command: 'ipvsadm', args: ['-Ln', '--stats'] },
    { key: 'ipset', command: 'ipset', args: ['save'] },
  ];

const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export const runCommand: CommandRunner = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8', killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT')
          return resolve({ ok: false, stdout: '', error: `${command} is not installed` });
        if (error.killed)
          return resolve({ ok: false, stdout: '', error: `${command} timed out after ${timeoutMs} ms` });
        const detail = stderr.trim().split('\n')[0] ?? '';
        resolve({
          ok: false,
          stdout: '',
          error: `${command} ${args.join(' ')} failed${detail ? `: ${detail}` : ''}`,
        });
      },
    );
  });

export interface CollectedDumps {
  collectedAt: string;
  dumps: Record<string, { text: string } | { error: string }>;
}

export async function collectDumps(
  run: CommandRunner,
  timeoutMs: number,
  now: () => Date,
): Promise<CollectedDumps> {
  const dumps: CollectedDumps['dumps'] = {};
  const collectedAt = now().toISOString();
  // One after another: these commands take the xtables lock or walk big tables.
  for (const { key, command, args } of DUMP_COMMANDS) {
    const result = await run(command, args, timeoutMs);
    dumps[key] = result.ok ? { text: result.stdout } : { error: result.error ?? `${command} failed` };
  }
  return { collectedAt, dumps };
}
