import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { PodListQuery, PodListSchema } from '../../../schemas/pods.js';
import { podIndexOf, queryPods } from './pod-index.js';

const podRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/pods',
    {
      schema: {
        summary:
          'Pods, any of them, as trace sources: IPs, node, hostNetwork, readiness (filter: q, namespace, node; paging: offset, limit)',
        querystring: PodListQuery,
        response: { 200: PodListSchema, ...errorResponses },
      },
    },
    async (request) => queryPods(podIndexOf(ctx.model.cluster), request.query),
  );
};

export default podRoutes;
