import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { SourceStatusSchema } from '../../../schemas/status.js';

const statusRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/status',
    {
      schema: {
        summary: 'Source, resource and collector state',
        response: { 200: SourceStatusSchema, ...errorResponses },
      },
    },
    async () => ctx.status(),
  );
};

export default statusRoutes;
