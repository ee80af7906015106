import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { TraceResponseDto } from '@svcpath/core';
import type { AppContext } from '../../../app-context.js';
import { ErrorBody, errorResponses } from '../../../schemas/common.js';
import { TraceRequestSchema, TraceResponseSchema } from '../../../schemas/trace.js';
import * as engine from '../../../services/engine.js';

/** Sends text that is already JSON (Fastify sends a string with a JSON content type as it is). */
function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

const traceRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.post(
    '/api/trace',
    {
      schema: {
        summary: 'Trace a new connection rule by rule on a node (source on a node address starts at OUTPUT)',
        body: TraceRequestSchema,
        response: { 200: TraceResponseSchema, ...errorResponses, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { node, view: askedView, proto, ...rest } = request.body;
      const settings = ctx.model.settings(node);
      if (!settings) return reply.code(404).send({ error: `unknown node ${node}` });
      // Without a collected dump the expected rules are the only ones to walk.
      const view = askedView ?? (ctx.model.dumps.forNode(node).length > 0 ? 'actual' : 'expected');
      const dumps = ctx.model.viewDumps(node, view);
      if (engine.isUnavailable(dumps))
        return reply.code(409).send({ error: `${dumps.unavailable}; trace with view "expected" instead` });
      const packet = { ...rest, proto: proto ?? 'tcp' };
      // A trace is a pure function of the node's state and the packet: answered once per state.
      const traces = ctx.model.traces(node);
      const key = JSON.stringify([view, packet]);
      const cached = traces.get(key);
      // The text the schema's serialiser made the first time is sent again as it is.
      if (cached !== undefined) return sendJson(reply, cached);
      const result = engine.trace(dumps, packet, settings.settings.nodeIPs);
      if (engine.isUnavailable(result)) return reply.code(503).send({ error: result.unavailable });
      const dto: TraceResponseDto = { ...result, node, view, mode: settings.settings.mode };
      const json = reply.serialize(dto);
      if (typeof json !== 'string') return dto;
      traces.set(key, json);
      return sendJson(reply, json);
    },
  );
};

export default traceRoutes;
