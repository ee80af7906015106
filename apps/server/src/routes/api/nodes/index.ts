import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { NodeListSchema, NodeParams, NodeSchema } from '../../../schemas/nodes.js';

const nodeRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/nodes',
    {
      schema: {
        summary: 'Nodes with their proxy mode, dumps and drift',
        response: { 200: NodeListSchema, ...errorResponses },
      },
    },
    async () => ({ items: ctx.model.nodes() }),
  );

  app.get(
    '/api/nodes/:node',
    { schema: { summary: 'One node', params: NodeParams, response: { 200: NodeSchema, ...errorResponses } } },
    async (request, reply) => {
      const dto = ctx.model.nodeDto(request.params.node);
      if (!dto) return reply.code(404).send({ error: `unknown node ${request.params.node}` });
      return dto;
    },
  );
};

export default nodeRoutes;
