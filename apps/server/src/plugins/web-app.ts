// The built web app (apps/web/dist) at /, with the SPA's routes answered by index.html.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The web app's client-side routes: any of these paths gets index.html. */
const SPA_ROUTES = [/^\/$/, /^\/services(\/.*)?$/, /^\/trace\/?$/, /^\/nodes(\/.*)?$/, /^\/diagnostics\/?$/];

export const isSpaRoute = (path: string): boolean => SPA_ROUTES.some((r) => r.test(path));

export async function registerWebApp(app: FastifyInstance, webRoot: string | undefined): Promise<void> {
  const hasWeb = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    if (request.method === 'GET' && !path.startsWith('/api/') && isSpaRoute(path)) {
      if (hasWeb) return reply.type('text/html; charset=utf-8').sendFile('index.html');
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built here: run `npm run build -w @svcpath/web` (the API is under /api).');
    }
    return reply.code(404).send({ error: `no route ${request.method} ${path}` });
  });
}
