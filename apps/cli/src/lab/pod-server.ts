// The process that plays every pod: one Node.js server in the pods namespace.
import type { ChildProcess } from 'node:child_process';
import { POD_SERVER_SCRIPT, type ServedEndpoint } from './scripts.js';
import { spawn } from './shell.js';

const READY_TIMEOUT_MS = 15_000;

export class PodServer {
  #child: ChildProcess | null = null;

  /** Starts `node` in `netns` serving `endpoints`; resolves once every socket listens. */
  start(netns: string, endpoints: readonly ServedEndpoint[]): Promise<void> {
    const child = spawn(
      'ip',
      ['netns', 'exec', netns, process.execPath, '-e', POD_SERVER_SCRIPT, JSON.stringify(endpoints)],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => fail('pod server did not start in time'), READY_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`${why}${err.trim() ? `: ${err.trim()}` : ''}`));
      };
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) => fail(`cannot start pod server: ${e.message}`));
      child.on('exit', (code) => fail(`pod server exited with ${code ?? 'a signal'}`));
    });
  }

  /** Ends the server (closing its stdin asks it to exit; the kill makes sure). Safe to call twice. */
  stop(): void {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    child.stdin?.end();
    child.kill('SIGKILL');
  }
}
