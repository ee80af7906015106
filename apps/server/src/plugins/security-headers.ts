// Security headers on every response. The web app is served from the same origin and loads
// nothing from elsewhere, so a strict content security policy fits it. The server is usually
// reached over plain HTTP (port-forward, in-cluster), so no HSTS and no upgrade of requests.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    hsts: false,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'upgrade-insecure-requests': null, 'connect-src': ["'self'"] },
    },
  });
}
