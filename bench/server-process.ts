// Child process for the HTTP and web sections: `svcpath serve --snapshot DIR` in effect, on
// 127.0.0.1 with a free port, so that load generators and browsers measure it from outside.
// Prints one line `server <json>` with its URL once listening; exits when its stdin closes or on SIGTERM.
import { resolve } from 'node:path';
import { SnapshotClusterSource, startServer } from '@svcpath/server';

const [dir, webRoot] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: server-process.ts SNAPSHOT_DIR [WEB_ROOT]');
const t0 = Date.now();
const server = await startServer({
  source: new SnapshotClusterSource(dir),
  ...(webRoot ? { webRoot: resolve(webRoot) } : {}),
  host: '127.0.0.1',
  port: 0,
  logger: false,
  // Benchmarks upload more than a person would.
  limits: { uploadsPerMinute: 1000 },
});
process.stdout.write(`server ${JSON.stringify({ url: server.url, startMs: Date.now() - t0 })}\n`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
// SIGUSR2: a full collection, so that the parent can read the memory the server really holds
// (V8 grows the heap lazily under load: resident memory right after a load is mostly garbage).
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
});
