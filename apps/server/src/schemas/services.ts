import { Type } from '@fastify/type-provider-typebox';
import { FindingSchema, K8sName, ProtocolSchema } from './common.js';

export const ServicePortSchema = Type.Object({
  name: Type.String(),
  protocol: ProtocolSchema,
  port: Type.Integer(),
  targetPort: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  nodePort: Type.Union([Type.Integer(), Type.Null()]),
  appProtocol: Type.Optional(Type.String()),
});

export const ServiceTypeSchema = Type.Union([
  Type.Literal('ClusterIP'),
  Type.Literal('NodePort'),
  Type.Literal('LoadBalancer'),
  Type.Literal('ExternalName'),
]);

export const ServiceSummarySchema = Type.Object({
  namespace: Type.String(),
  name: Type.String(),
  type: ServiceTypeSchema,
  headless: Type.Boolean(),
  clusterIP: Type.Union([Type.String(), Type.Null()]),
  clusterIPs: Type.Array(Type.String()),
  externalIPs: Type.Array(Type.String()),
  loadBalancerIPs: Type.Array(Type.String()),
  externalName: Type.Optional(Type.String()),
  ports: Type.Array(ServicePortSchema),
  endpoints: Type.Object({ ready: Type.Integer(), total: Type.Integer() }),
  sessionAffinity: Type.Union([Type.Literal('None'), Type.Literal('ClientIP')]),
  externalTrafficPolicy: Type.Union([Type.Literal('Cluster'), Type.Literal('Local'), Type.Null()]),
  internalTrafficPolicy: Type.Union([Type.Literal('Cluster'), Type.Literal('Local')]),
  health: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('error')]),
  healthReasons: Type.Array(Type.String()),
});

export const ServiceListSchema = Type.Object({
  items: Type.Array(ServiceSummarySchema),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  namespaces: Type.Array(Type.String()),
});

export const ServiceListQuery = Type.Object({
  namespace: Type.Optional(K8sName),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  type: Type.Optional(ServiceTypeSchema),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
});

export const ServiceParams = Type.Object({ namespace: K8sName, name: K8sName });

export const EndpointSchema = Type.Object({
  address: Type.String(),
  port: Type.Union([Type.Integer(), Type.Null()]),
  portName: Type.String(),
  protocol: ProtocolSchema,
  ready: Type.Boolean(),
  serving: Type.Boolean(),
  terminating: Type.Boolean(),
  nodeName: Type.Union([Type.String(), Type.Null()]),
  zone: Type.Union([Type.String(), Type.Null()]),
  pod: Type.Union([Type.String(), Type.Null()]),
});

export const DnsRecordSchema = Type.Object({
  type: Type.Union([Type.Literal('A'), Type.Literal('AAAA'), Type.Literal('SRV'), Type.Literal('CNAME')]),
  name: Type.String(),
  value: Type.String(),
});

export const ServiceDetailSchema = Type.Object({
  summary: ServiceSummarySchema,
  description: Type.Array(Type.String()),
  endpoints: Type.Array(EndpointSchema),
  dns: Type.Array(DnsRecordSchema),
  env: Type.Array(Type.Object({ name: Type.String(), value: Type.String() })),
  findings: Type.Array(FindingSchema),
});
