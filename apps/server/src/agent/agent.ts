// `svcpath agent`: serves its node's dataplane dumps over HTTP for the server to pull.
//   GET /dumps        → { node, collectedAt, dumps: { iptables: { text } | { error }, … } }
//   GET /dumps/:kind  → the text of one dump
//   GET /healthz      → ok (no token needed)
// With a token set, /dumps requires `Authorization: Bearer <token>` (the server sends its own).
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { tokenMatches } from '../plugins/bearer-auth.js';
import { collectDumps, DUMP_COMMANDS, runCommand, type CommandRunner } from './commands.js';

export interface AgentOptions {
  port: number;
  host?: string;
  /** Runs a command (injectable for tests). */
  run?: CommandRunner;
  /** Per-command timeout (default 20 s). */
  timeoutMs?: number;
  /** Node name reported (default: NODE_NAME, else the host name). */
  nodeName?: string;
  now?: () => Date;
  /** When set, dump requests must carry this bearer token. */
  authToken?: string;
}

export interface RunningAgent {
  port: number;
  close(): Promise<void>;
}

export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const run = opts.run ?? runCommand;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const now = opts.now ?? (() => new Date());
  const node = opts.nodeName ?? process.env['NODE_NAME'] ?? hostname();
  // One collection at a time: concurrent pulls share it instead of running the tools twice.
  let inFlight: ReturnType<typeof collectDumps> | null = null;
  const collect = () => {
    inFlight ??= collectDumps(run, timeoutMs, now).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'application/json', JSON.stringify({ error: 'only GET' }));
    if (path === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (opts.authToken) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m?.[1] || !tokenMatches(m[1], opts.authToken)) {
        res.setHeader('www-authenticate', 'Bearer realm="svcpath-agent"');
        return send(
          401,
          'application/json',
          JSON.stringify({ error: 'this agent requires the bearer token' }),
        );
      }
    }
    if (path === '/dumps') {
      collect().then(
        (c) => send(200, 'application/json', JSON.stringify({ node, ...c })),
        () => send(500, 'application/json', JSON.stringify({ error: 'internal error' })),
      );
      return undefined;
    }
    const m = /^\/dumps\/([a-z0-9-]+)$/.exec(path);
    if (m?.[1] && DUMP_COMMANDS.some((c) => c.key === m[1])) {
      const key = m[1];
      collect().then(
        (c) => {
          const d = c.dumps[key];
          if (d && 'text' in d) send(200, 'text/plain; charset=utf-8', d.text);
          else send(503, 'application/json', JSON.stringify({ error: d?.error ?? 'not collected' }));
        },
        () => send(500, 'application/json', JSON.stringify({ error: 'internal error' })),
      );
      return undefined;
    }
    return send(404, 'application/json', JSON.stringify({ error: `no route ${path}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
