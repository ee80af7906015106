import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { DiagnosticsSchema } from '../../../schemas/diagnostics.js';
import { allFindings } from '../../../services/findings.js';

const diagnosticsRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/diagnostics',
    {
      schema: {
        summary: 'Everything that looks wrong, most severe first',
        response: { 200: DiagnosticsSchema, ...errorResponses },
      },
    },
    async () => ({ findings: allFindings(ctx.model), generatedAt: ctx.now().toISOString() }),
  );
};

export default diagnosticsRoutes;
