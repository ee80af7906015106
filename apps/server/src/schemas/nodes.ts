import { Type } from '@fastify/type-provider-typebox';
import { DumpKindSchema, K8sName, ParseIssueSchema, ProxyModeSchema } from './common.js';

export const DumpInfoSchema = Type.Object({
  kind: DumpKindSchema,
  source: Type.String(),
  collectedAt: Type.String(),
  ageSeconds: Type.Number(),
  bytes: Type.Integer(),
  lines: Type.Integer(),
  stale: Type.Boolean(),
  issues: Type.Array(ParseIssueSchema),
});

export const NodeSchema = Type.Object({
  name: Type.String(),
  mode: ProxyModeSchema,
  modeSource: Type.String(),
  ips: Type.Array(Type.String()),
  zone: Type.Optional(Type.String()),
  ready: Type.Boolean(),
  dumps: Type.Array(DumpInfoSchema),
  drift: Type.Union([Type.Integer(), Type.Null()]),
  driftPending: Type.Optional(
    Type.Boolean({ description: 'drift is being computed; a nodes event follows' }),
  ),
});

export const NodeListSchema = Type.Object({ items: Type.Array(NodeSchema) });

export const NodeParams = Type.Object({ node: K8sName });
