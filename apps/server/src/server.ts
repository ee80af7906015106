// Listening: the composition root the CLI calls for `svcpath serve`.
import type { FastifyInstance } from 'fastify';
import { buildServer, writeServerSnapshot, type BuildServerOptions } from './app.js';

export interface StartServerOptions extends BuildServerOptions {
  host?: string;
  port?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port`. */
  url: string;
  close(): Promise<void>;
  /** Writes the current state as a snapshot directory. */
  writeSnapshot(dir: string): Promise<string[]>;
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const app = await buildServer({ logger: opts.logger ?? { level: 'info' }, ...opts });
  const host = opts.host ?? '127.0.0.1';
  let address: string;
  try {
    address = await app.listen({ host, port: opts.port ?? 8080 });
  } catch (e) {
    // The source and collectors already run: stop them, or the process would live on without a server.
    await app.close();
    throw e;
  }
  return {
    app,
    url: address,
    close: () => app.close(),
    writeSnapshot: (dir) => writeServerSnapshot(app, dir),
  };
}
