import { Type } from '@fastify/type-provider-typebox';
import { K8sName, L4ProtocolSchema, ProxyModeSchema, ViewSchema } from './common.js';

const IpString = Type.String({ minLength: 2, maxLength: 45, pattern: '^[0-9a-fA-F.:]+$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const TraceRequestSchema = Type.Object(
  {
    node: K8sName,
    src: IpString,
    dst: IpString,
    dport: Port,
    proto: Type.Optional(L4ProtocolSchema),
    sport: Type.Optional(Port),
    inInterface: Type.Optional(Type.String({ maxLength: 64 })),
    outInterface: Type.Optional(Type.String({ maxLength: 64 })),
    view: Type.Optional(ViewSchema),
  },
  { additionalProperties: false },
);

const TraceStepSchema = Type.Object({
  table: Type.String(),
  chain: Type.String(),
  rule: Type.Union([Type.Integer(), Type.Null()]),
  text: Type.String(),
  action: Type.String(),
  hook: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
});

const TraceAssumptionSchema = Type.Object({
  table: Type.String(),
  chain: Type.String(),
  rule: Type.Integer(),
  text: Type.String(),
  match: Type.String(),
  assumed: Type.Union([Type.Literal('matched'), Type.Literal('not matched')]),
});

const TraceOutcomeSchema = Type.Object({
  probability: Type.Number(),
  verdict: Type.Union([Type.Literal('ACCEPT'), Type.Literal('DROP'), Type.Literal('REJECT')]),
  dnat: Type.Union([Type.String(), Type.Null()]),
  masquerade: Type.Boolean(),
  path: Type.Array(TraceStepSchema),
  assumptions: Type.Array(TraceAssumptionSchema),
  affinity: Type.Union([Type.Object({ timeoutSeconds: Type.Number(), key: Type.String() }), Type.Null()]),
  notes: Type.Array(Type.String()),
});

export const TraceResponseSchema = Type.Object({
  packet: Type.Object({
    src: Type.String(),
    dst: Type.String(),
    dport: Type.Integer(),
    proto: L4ProtocolSchema,
    sport: Type.Optional(Type.Integer()),
    inInterface: Type.Optional(Type.String()),
    outInterface: Type.Optional(Type.String()),
    startHook: Type.Union([Type.Literal('PREROUTING'), Type.Literal('OUTPUT')]),
  }),
  outcomes: Type.Array(TraceOutcomeSchema),
  warnings: Type.Array(Type.String()),
  node: Type.String(),
  view: ViewSchema,
  mode: ProxyModeSchema,
});
