import { Type } from '@fastify/type-provider-typebox';
import { K8sName, L4ProtocolSchema, ProxyModeSchema, ViewSchema } from './common.js';

const RuleRefSchema = Type.Object({
  table: Type.String(),
  chain: Type.String(),
  rule: Type.Integer(),
  text: Type.String(),
  packets: Type.Optional(Type.Number()),
});
const NullableRuleRef = Type.Union([RuleRefSchema, Type.Null()]);

export const GraphEntrySchema = Type.Object({
  kind: Type.Union([
    Type.Literal('clusterIP'),
    Type.Literal('nodePort'),
    Type.Literal('loadBalancer'),
    Type.Literal('externalIP'),
  ]),
  ip: Type.Union([Type.String(), Type.Null()]),
  port: Type.Integer(),
  target: Type.String(),
  rule: NullableRuleRef,
});

const GraphNodeSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  label: Type.String(),
  masquerade: Type.Optional(Type.Boolean()),
  affinitySeconds: Type.Optional(Type.Number()),
});

const GraphEdgeSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  probability: Type.Number(),
  condition: Type.Optional(Type.String()),
  rule: NullableRuleRef,
});

export const ServiceGraphSchema = Type.Object({
  service: Type.String(),
  protocol: L4ProtocolSchema,
  chain: Type.Union([Type.String(), Type.Null()]),
  entries: Type.Array(GraphEntrySchema),
  endpoints: Type.Array(
    Type.Object({
      address: Type.String(),
      chain: Type.Union([Type.String(), Type.Null()]),
      probability: Type.Number(),
    }),
  ),
  nodes: Type.Array(GraphNodeSchema),
  edges: Type.Array(GraphEdgeSchema),
  warnings: Type.Array(Type.String()),
});

export const ServiceGraphResponseSchema = Type.Object({
  services: Type.Array(ServiceGraphSchema),
  node: Type.String(),
  view: ViewSchema,
  mode: ProxyModeSchema,
  unavailable: Type.Optional(Type.String()),
  drift: Type.Optional(Type.Array(Type.Object({ service: Type.String(), message: Type.String() }))),
  driftPending: Type.Optional(
    Type.Boolean({ description: 'drift is being computed in the background; ask again shortly' }),
  ),
});

export const GraphQuery = Type.Object({
  node: Type.Optional(K8sName),
  view: Type.Optional(ViewSchema),
});
