import { Type } from '@fastify/type-provider-typebox';
import { DumpKindSchema, K8sName } from './common.js';
import { DumpInfoSchema } from './nodes.js';

export const DumpParams = Type.Object({ node: K8sName, kind: DumpKindSchema });

export const DumpPutResponseSchema = Type.Object({ node: Type.String(), info: DumpInfoSchema });

export const ParsedDumpSchema = Type.Object({
  node: Type.String(),
  kind: DumpKindSchema,
  info: DumpInfoSchema,
  tables: Type.Array(
    Type.Object({
      name: Type.String(),
      chains: Type.Array(
        Type.Object({
          name: Type.String(),
          policy: Type.Union([Type.String(), Type.Null()]),
          hook: Type.Optional(Type.String()),
          rules: Type.Array(
            Type.Object({
              index: Type.Integer(),
              line: Type.Integer(),
              text: Type.String(),
              target: Type.Union([Type.String(), Type.Null()]),
              packets: Type.Optional(Type.Number()),
              bytes: Type.Optional(Type.Number()),
            }),
          ),
        }),
      ),
    }),
  ),
});
