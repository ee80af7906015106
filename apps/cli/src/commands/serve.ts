import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DemoClusterSource,
  KubeClusterSource,
  KubeConfigError,
  SnapshotClusterSource,
  startAgent,
  startServer,
  type ClusterSource,
} from '@svcpath/server';
import { InputError } from '../input/read-input.js';
import type { AgentOptions, ServeOptions } from '../input/schemas.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The built web app beside this package in the repository, or in the image. */
function defaultWebRoot(): string | undefined {
  const candidate = resolve(here, '../../../web/dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}

/** Reads a token file; an empty file or a file that cannot be read is an error, never "no auth". */
export function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new InputError(
      `cannot read --auth-token-file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  if (token.length < 16)
    throw new InputError(`--auth-token-file ${file}: the token must be at least 16 characters`);
  return token;
}

function sourceFor(opts: ServeOptions): ClusterSource {
  const chosen = [
    opts.demo,
    opts.kubeconfig !== undefined || opts.context !== undefined,
    opts.inCluster,
    opts.snapshot !== undefined,
  ].filter(Boolean);
  if (chosen.length > 1)
    throw new InputError('choose one source: --demo, --kubeconfig/--context, --in-cluster or --snapshot');
  if (opts.snapshot !== undefined) {
    if (!existsSync(opts.snapshot)) throw new InputError(`--snapshot ${opts.snapshot}: no such directory`);
    return new SnapshotClusterSource(resolve(opts.snapshot));
  }
  if (opts.inCluster) return new KubeClusterSource({ inCluster: true });
  if (opts.kubeconfig !== undefined || opts.context !== undefined) {
    return new KubeClusterSource({
      ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context !== undefined ? { context: opts.context } : {}),
    });
  }
  return new DemoClusterSource();
}

/** Mistakes the person starting the server can fix become their message, not a stack trace. */
function startError(e: unknown, opts: ServeOptions): unknown {
  if (e instanceof KubeConfigError) return new InputError(e.message);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE')
    return new InputError(`${opts.host}:${opts.port} is already in use; choose another --port`);
  if (code === 'EADDRNOTAVAIL' || code === 'EACCES')
    return new InputError(`cannot listen on ${opts.host}:${opts.port} (${code}); check --host and --port`);
  return e;
}

/** The exec collector's settings, or why the flags do not make sense together. */
function execOptions(
  opts: ServeOptions,
): { namespace?: string; selector?: string; container?: string } | null {
  const given = {
    ...(opts.execNamespace !== undefined ? { namespace: opts.execNamespace } : {}),
    ...(opts.execSelector !== undefined ? { selector: opts.execSelector } : {}),
    ...(opts.execContainer !== undefined ? { container: opts.execContainer } : {}),
  };
  if (!opts.collect.includes('exec')) {
    if (Object.keys(given).length > 0)
      throw new InputError('--exec-namespace, --exec-selector and --exec-container need --collect exec');
    return null;
  }
  return given;
}

export async function runServe(opts: ServeOptions): Promise<void> {
  const exec = execOptions(opts);
  const source = sourceFor(opts);
  // Relative paths are the user's, from where they ran the command.
  const webRoot = opts.webRoot !== undefined ? resolve(opts.webRoot) : defaultWebRoot();
  const server = await startServer({
    source,
    host: opts.host,
    port: opts.port,
    logger: { level: opts.logLevel },
    ...(opts.authTokenFile ? { authToken: readToken(opts.authTokenFile) } : {}),
    ...(webRoot ? { webRoot } : {}),
    collectors: {
      // A --collect list is the whole choice: `--collect exec` alone pulls from no agent.
      ...(opts.collect.length > 0 ? { agents: opts.collect.includes('agent') } : {}),
      ...(opts.collect.includes('local') ? { local: true } : {}),
      ...(exec ? { exec } : {}),
    },
  }).catch((e: unknown) => {
    throw startError(e, opts);
  });
  const what = source.status();
  process.stderr.write(
    `svcpath: serving ${what.kind === 'demo' ? 'the built-in demo cluster' : `${what.kind} ${what.name}`} at ${server.url}\n`,
  );
  if (!webRoot)
    process.stderr.write('svcpath: the web app is not built (npm run build); only the API is served\n');
  const stop = () => {
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function runAgent(opts: AgentOptions): Promise<void> {
  const agent = await startAgent({
    port: opts.port,
    host: opts.host,
    ...(opts.authTokenFile ? { authToken: readToken(opts.authTokenFile) } : {}),
  });
  process.stderr.write(`svcpath agent: serving this node's dumps on ${opts.host}:${agent.port}\n`);
  const stop = () => {
    void agent.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
