import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { SNAPSHOT_FORMAT } from '../../../snapshot/layout.js';
import { snapshotBundle } from '../../../snapshot/export.js';

const SnapshotBundleSchema = Type.Object({
  format: Type.Literal(SNAPSHOT_FORMAT),
  exportedAt: Type.String(),
  files: Type.Record(Type.String(), Type.String(), {
    description: 'relative path → content (cluster.json, svcpath-snapshot.json, nodes/<node>/<dump>)',
  }),
});

const exportRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/export',
    {
      schema: {
        summary: 'Everything as a snapshot directory bundle (serve it with `svcpath serve --snapshot DIR`)',
        response: { 200: SnapshotBundleSchema, ...errorResponses },
      },
    },
    async (_request, reply) => {
      reply.header('content-disposition', 'attachment; filename="svcpath-snapshot.json"');
      return snapshotBundle(ctx.model, ctx.now());
    },
  );
};

export default exportRoutes;
