// Starts bench/api-double.ts as a child process and waits for its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ApiDoubleInfo {
  url: string;
  services: number;
  endpointSlices: number;
  nodes: number;
  endpoints: number;
  loadMs: number;
}

export interface ApiDoubleProcess {
  info: ApiDoubleInfo;
  child: ChildProcess;
  stop(): Promise<void>;
}

const script = join(dirname(fileURLToPath(import.meta.url)), 'api-double.ts');

export function startApiDouble(services: number, endpointsPerService: number): Promise<ApiDoubleProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, String(services), String(endpointsPerService)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('api-double '));
      if (!line) return;
      child.stdout?.off('data', onData);
      resolve({ info: JSON.parse(line.slice('api-double '.length)) as ApiDoubleInfo, child, stop });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the API double exited (${code ?? 'signal'}) before it was ready`)),
    );
  });
}
