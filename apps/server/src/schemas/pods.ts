import { Type } from '@fastify/type-provider-typebox';
import { K8sName } from './common.js';

export const PodSchema = Type.Object({
  namespace: Type.String(),
  name: Type.String(),
  node: Type.Union([Type.String(), Type.Null()]),
  podIPs: Type.Array(Type.String()),
  hostNetwork: Type.Boolean(),
  phase: Type.Union([Type.String(), Type.Null()]),
  ready: Type.Boolean(),
  labels: Type.Record(Type.String(), Type.String()),
});

export const PodListSchema = Type.Object({
  items: Type.Array(PodSchema),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
});

export const PodListQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'Whitespace-separated terms, all of which must occur (case-insensitive) in the pod’s namespace/name, IPs or node name.',
    }),
  ),
  namespace: Type.Optional(K8sName),
  node: Type.Optional(K8sName),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});
