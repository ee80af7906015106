// One error handler: 4xx answers say what was wrong, 5xx answers say "internal error" and the
// details go to the log only.
import type { FastifyError, FastifyInstance } from 'fastify';

export interface ErrorOptions {
  dumpLimitBytes: number;
}

export function registerErrorHandler(app: FastifyInstance, opts: ErrorOptions): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: `invalid request: ${error.message}` });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        error: `the request body is larger than the limit of ${formatBytes(opts.dumpLimitBytes)}; split the dump or raise the limit`,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}
