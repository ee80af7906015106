import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { SseWriter } from '../../../services/sse-writer.js';

const EventsQuery = Type.Object({
  /** Same as the Last-Event-ID header, for clients that cannot set headers. */
  lastEventId: Type.Optional(Type.Integer({ minimum: 0 })),
});

const eventRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  const open = new Set<SseWriter>();
  app.addHook('preClose', async () => {
    for (const w of open) w.close();
  });

  app.get(
    '/api/events',
    {
      schema: {
        summary:
          'Change events (SSE): services, nodes, dump, status, diagnostics; `data` is a ChangeEventDto',
        querystring: EventsQuery,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
        produces: ['text/event-stream'],
      },
    },
    (request, reply) => {
      const header = request.headers['last-event-id'];
      const lastHeader = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
      const lastId = request.query.lastEventId ?? lastHeader;
      reply.hijack();
      const writer = new SseWriter(reply.raw, ctx.limits.sseHeartbeatMs);
      // Headers set by hooks (security headers) would be lost by hijacking: carry them over.
      const headers: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
      writer.open(headers);
      open.add(writer);
      if (lastId !== undefined) {
        const missed = ctx.hub.since(lastId);
        if (missed === null) writer.event(0, 'status', { type: 'status' });
        else for (const e of missed) writer.event(e.id, e.event.type, e.event);
      }
      const unsubscribe = ctx.hub.subscribe((e) => writer.event(e.id, e.event.type, e.event));
      writer.comment('connected');
      request.raw.on('close', () => {
        unsubscribe();
        open.delete(writer);
        writer.close();
      });
    },
  );
};

export default eventRoutes;
