// The svcpath HTTP server: plugins, routes and the state engine wired together. `buildServer`
// returns a ready Fastify instance (not listening); `startServer` in server.ts listens.
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_LIMITS, type AppContext, type Limits } from './app-context.js';
import { collectorNodeSettings, createCollectors, type CollectorOptions } from './collectors/index.js';
import type { Collector } from './collectors/types.js';
import { registerBearerAuth } from './plugins/bearer-auth.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerOpenApi, registerOpenApiRoute } from './plugins/openapi.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerWebApp } from './plugins/web-app.js';
import diagnosticsRoutes from './routes/api/diagnostics/index.js';
import dumpRoutes from './routes/api/dumps/index.js';
import eventRoutes from './routes/api/events/index.js';
import exportRoutes from './routes/api/export/index.js';
import nodeRoutes from './routes/api/nodes/index.js';
import podRoutes from './routes/api/pods/index.js';
import serviceRoutes from './routes/api/services/index.js';
import statusRoutes from './routes/api/status/index.js';
import traceRoutes from './routes/api/trace/index.js';
import { ClusterModel } from './services/cluster-model.js';
import { DumpStore } from './services/dump-store.js';
import { EventHub } from './services/event-hub.js';
import { SourceSync } from './services/source-sync.js';
import { writeSnapshot } from './snapshot/export.js';
import type { ClusterSource } from './sources/types.js';

export interface BuildServerOptions {
  source: ClusterSource;
  /** Dataplane collectors: which to run (agents, local host, exec) and extra ones. */
  collectors?: CollectorOptions;
  /** When set, every /api route requires `Authorization: Bearer <token>`. */
  authToken?: string;
  /** The built web app (apps/web/dist); the API still works without it. */
  webRoot?: string;
  now?: () => Date;
  limits?: Partial<Limits>;
  logger?: FastifyServerOptions['logger'];
  /** Start the source and collectors (default true); tests of a fixed state may skip it. */
  start?: boolean;
}

const models = new WeakMap<FastifyInstance, ClusterModel>();

/** Writes what a server built by `buildServer` holds as a snapshot directory (`serve --snapshot DIR` reads it). */
export async function writeServerSnapshot(app: FastifyInstance, dir: string): Promise<string[]> {
  const model = models.get(app);
  if (!model) throw new Error('not a server built by buildServer');
  return writeSnapshot(model, dir, model.now());
}

export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const now = opts.now ?? (() => new Date());
  const app = Fastify({
    logger: opts.logger ?? false,
    // Uploads have their own, larger limit on their route.
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const hub = new EventHub();
  const dumps = new DumpStore();
  const model = new ClusterModel(dumps, hub, now, undefined, limits.driftBudgetMs);
  let collectors: Collector[] = [];
  let lastCollectorStatus = '';
  const sync = new SourceSync(
    opts.source,
    model,
    hub,
    () => collectors,
    now,
    () => collectorNodeSettings(collectors),
    (err) => app.log.error({ err }, 'rebuilding the cluster model failed'),
  );
  collectors = createCollectors(opts.collectors ?? {}, {
    source: opts.source,
    dumps,
    now,
    log: app.log,
    dumpLimitBytes: limits.dumpBytes,
    ...(opts.authToken ? { authToken: opts.authToken } : {}),
    onStatusChange: () => {
      // Only a real change is worth an event: collectors run every few seconds.
      const key = JSON.stringify(collectors.map((c) => c.status()));
      if (key !== lastCollectorStatus) hub.publish({ type: 'status' });
      lastCollectorStatus = key;
    },
  });

  registerErrorHandler(app, { dumpLimitBytes: limits.dumpBytes });
  await registerSecurityHeaders(app);
  await app.register(rateLimit, { global: false });
  await registerOpenApi(app);
  registerBearerAuth(app, opts.authToken);
  // Reads see every change the source made before them, even within the same tick (on a large
  // cluster, once the previous rebuild's spacing has passed).
  app.addHook('onRequest', async () => sync.refreshIfDue());

  const ctx: AppContext = { model, hub, collectors, limits, now, status: () => sync.status() };
  registerOpenApiRoute(app);
  // Liveness/readiness for probes: outside /api, so it needs no token and tells nothing.
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/plain').send('ok\n'),
  );
  await app.register(statusRoutes, ctx);
  await app.register(nodeRoutes, ctx);
  await app.register(serviceRoutes, ctx);
  await app.register(podRoutes, ctx);
  await app.register(traceRoutes, ctx);
  await app.register(dumpRoutes, ctx);
  await app.register(diagnosticsRoutes, ctx);
  await app.register(exportRoutes, ctx);
  await app.register(eventRoutes, ctx);
  await registerWebApp(app, opts.webRoot);

  sync.attach();
  if (opts.start !== false) {
    await opts.source.start();
    for (const c of collectors) await c.start();
  }
  // Collectors may have brought node settings (a snapshot's manifest): rebuild with them.
  sync.markDirty();
  sync.refresh();

  app.addHook('onClose', async () => {
    model.stop();
    sync.detach();
    for (const c of collectors) await c.stop();
    if (opts.start !== false) opts.source.stop();
  });
  await app.ready();
  models.set(app, model);
  return app;
}
