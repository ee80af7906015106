import { Type } from '@fastify/type-provider-typebox';

const ResourceStateSchema = Type.Union([
  Type.Literal('syncing'),
  Type.Literal('ready'),
  Type.Literal('stale'),
  Type.Literal('forbidden'),
  Type.Literal('error'),
]);

export const SourceStatusSchema = Type.Object({
  kind: Type.Union([Type.Literal('demo'), Type.Literal('kube'), Type.Literal('snapshot')]),
  name: Type.String(),
  state: Type.Union([
    Type.Literal('syncing'),
    Type.Literal('ready'),
    Type.Literal('degraded'),
    Type.Literal('error'),
  ]),
  resources: Type.Record(
    Type.String(),
    Type.Object({
      state: ResourceStateSchema,
      message: Type.Optional(Type.String()),
      lastSyncedAt: Type.Optional(Type.String()),
      count: Type.Integer(),
    }),
  ),
  collectors: Type.Array(
    Type.Object({ name: Type.String(), state: ResourceStateSchema, message: Type.Optional(Type.String()) }),
  ),
  now: Type.String(),
});
