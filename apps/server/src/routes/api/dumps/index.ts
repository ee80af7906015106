import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app-context.js';
import { DumpErrorBody, ErrorBody, errorResponses } from '../../../schemas/common.js';
import { DumpParams, DumpPutResponseSchema, ParsedDumpSchema } from '../../../schemas/dumps.js';
import * as engine from '../../../services/engine.js';
import { dumpTables } from '../../../services/parsed-dump-view.js';

const PutQuery = Type.Object({
  /** Keep a dump that has parse errors (it is stored with its issues) instead of refusing it. */
  partial: Type.Boolean({ default: false }),
});

const dumpRoutes: FastifyPluginAsyncTypebox<AppContext> = async (app, ctx) => {
  // A dump is text whatever the client calls it (text/plain, octet-stream, even JSON for nft -j).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.put(
    '/api/nodes/:node/dumps/:kind',
    {
      bodyLimit: ctx.limits.dumpBytes,
      config: { rateLimit: { max: ctx.limits.uploadsPerMinute, timeWindow: '1 minute' } },
      schema: {
        summary:
          "Upload a node's dump (iptables-save [-c], ip6tables-save, nft list ruleset [-j], ipvsadm -S -n / -Ln, ipset save)",
        params: DumpParams,
        querystring: PutQuery,
        body: Type.String({ description: 'The dump as text.' }),
        response: { 200: DumpPutResponseSchema, ...errorResponses, 413: ErrorBody, 422: DumpErrorBody },
      },
    },
    async (request, reply) => {
      const { node, kind } = request.params;
      if (!ctx.model.hasNode(node)) return reply.code(404).send({ error: `unknown node ${node}` });
      const text = request.body;
      const parsed = engine.parseDump(kind, text);
      const fatal = engine.fatalIssue(parsed);
      if (fatal && !request.query.partial) {
        return reply.code(422).send({
          error: `the ${kind} dump does not parse${fatal.line !== null ? ` at line ${fatal.line}` : ''}: ${fatal.message} (add ?partial=true to keep it anyway)`,
          line: fatal.line,
        });
      }
      const stored = ctx.model.dumps.put(node, kind, text, 'upload', ctx.now());
      return { node, info: ctx.model.dumpInfo(stored) };
    },
  );

  app.get(
    '/api/nodes/:node/dumps/:kind',
    {
      schema: {
        summary: 'The dump as collected (text)',
        params: DumpParams,
        response: { 200: Type.String(), ...errorResponses },
        produces: ['text/plain'],
      },
    },
    async (request, reply) => {
      const { node, kind } = request.params;
      if (!ctx.model.hasNode(node)) return reply.code(404).send({ error: `unknown node ${node}` });
      const dump = ctx.model.dumps.get(node, kind);
      if (!dump) return reply.code(404).send({ error: `node ${node} has no ${kind} dump` });
      return reply.type('text/plain; charset=utf-8').send(dump.text);
    },
  );

  app.get(
    '/api/nodes/:node/expected/:kind',
    {
      schema: {
        summary:
          "The node's expected dump (what kube-proxy in its mode would write, generated from the cluster), as text",
        params: DumpParams,
        response: { 200: Type.String(), ...errorResponses },
        produces: ['text/plain'],
      },
    },
    async (request, reply) => {
      const { node, kind } = request.params;
      if (!ctx.model.hasNode(node)) return reply.code(404).send({ error: `unknown node ${node}` });
      const expected = ctx.model.expectedText(node);
      if (engine.isUnavailable(expected)) return reply.code(404).send({ error: expected.unavailable });
      const text = expected[kind];
      if (text === undefined) {
        const mode = ctx.model.settings(node)?.settings.mode ?? 'iptables';
        return reply
          .code(404)
          .send({ error: `kube-proxy in ${mode} mode writes no ${kind} rules on node ${node}` });
      }
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );

  app.get(
    '/api/nodes/:node/dumps/:kind/parsed',
    {
      schema: {
        summary: 'The dump as tables, chains and rules',
        params: DumpParams,
        response: { 200: ParsedDumpSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { node, kind } = request.params;
      if (!ctx.model.hasNode(node)) return reply.code(404).send({ error: `unknown node ${node}` });
      const dump = ctx.model.dumps.get(node, kind);
      const parsed = ctx.model.parsedDump(node, kind);
      if (!dump || !parsed) return reply.code(404).send({ error: `node ${node} has no ${kind} dump` });
      return { node, kind, info: ctx.model.dumpInfo(dump), tables: dumpTables(parsed.dataplane) };
    },
  );
};

export default dumpRoutes;
