import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServiceDetailDto, ServiceGraphDto } from '@svcpath/core';
import type { AppContext } from '../../../app-context.js';
import { errorResponses } from '../../../schemas/common.js';
import { GraphQuery, ServiceGraphResponseSchema } from '../../../schemas/graph.js';
import {
  ServiceDetailSchema,
  ServiceListQuery,
  ServiceListSchema,
  ServiceParams,
} from '../../../schemas/services.js';
import * as engine from '../../../services/engine.js';
import { findingsForService } from '../../../services/findings.js';
import { queryServices } from '../../../services/service-query.js';
import { describeService, endpointRows, serviceKey, withDrift } from '../../../services/service-summaries.js';

const CLUSTER_DOMAIN = 'cluster.local';

const serviceRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  app.get(
    '/api/services',
    {
      schema: {
        summary:
          'Services with endpoint counts and health (filter: namespace, q, type; paging: offset, limit)',
        querystring: ServiceListQuery,
        response: { 200: ServiceListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const list = queryServices(ctx.model.services, request.query);
      const drifted = ctx.model.driftedServices();
      if (drifted.size === 0) return list;
      return {
        ...list,
        items: list.items.map((i) => withDrift(i, drifted.get(serviceKey(i.namespace, i.name)))),
      };
    },
  );

  app.get(
    '/api/services/:namespace/:name',
    {
      schema: {
        summary: 'One Service: spec in words, endpoints, DNS, env, findings',
        params: ServiceParams,
        response: { 200: ServiceDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { namespace, name } = request.params;
      const entry = ctx.model.services.byKey.get(serviceKey(namespace, name));
      if (!entry) return reply.code(404).send({ error: `unknown service ${namespace}/${name}` });
      const discovery = engine.discovery(entry.service, entry.slices, CLUSTER_DOMAIN);
      const detail: ServiceDetailDto = {
        summary: withDrift(entry.summary, ctx.model.driftedServices().get(serviceKey(namespace, name))),
        description: describeService(entry.service, entry.summary),
        endpoints: endpointRows(entry.slices),
        dns: discovery.dns,
        env: discovery.env,
        findings: findingsForService(ctx.model, entry.summary),
      };
      return detail;
    },
  );

  app.get(
    '/api/services/:namespace/:name/graph',
    {
      schema: {
        summary:
          "The Service's path graph on a node (actual: from its dump; expected: generated from the cluster)",
        params: ServiceParams,
        querystring: GraphQuery,
        response: { 200: ServiceGraphResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { namespace, name } = request.params;
      if (!ctx.model.services.byKey.has(serviceKey(namespace, name)))
        return reply.code(404).send({ error: `unknown service ${namespace}/${name}` });
      const node = request.query.node ?? ctx.model.nodeNames()[0];
      if (node === undefined) return reply.code(404).send({ error: 'the cluster has no nodes' });
      if (!ctx.model.hasNode(node)) return reply.code(404).send({ error: `unknown node ${node}` });
      // Without a collected dump the expected rules are the only ones to show.
      const view = request.query.view ?? (ctx.model.dumps.forNode(node).length > 0 ? 'actual' : 'expected');
      const built = ctx.model.graph(node, view);
      const dto: ServiceGraphDto = {
        services: built.graph ? ctx.model.serviceGraphs(built.graph, namespace, name) : [],
        node,
        view,
        mode: built.mode,
      };
      if (built.unavailable !== undefined) dto.unavailable = built.unavailable;
      // On a large cluster drift takes seconds: the graph comes first and the drift follows.
      const state = ctx.model.driftBy(node, ctx.model.driftDeadline());
      const drift = state === 'pending' ? null : state.items;
      if (state === 'pending') dto.driftPending = true;
      if (drift) {
        const key = serviceKey(namespace, name);
        dto.drift = drift
          .filter((d) => d.service === key || d.service.startsWith(`${key}:`))
          .map((d) => ({ service: d.service, message: d.message }));
      }
      return dto;
    },
  );
};

export default serviceRoutes;
