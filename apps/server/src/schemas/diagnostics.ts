import { Type } from '@fastify/type-provider-typebox';
import { FindingSchema } from './common.js';

export const DiagnosticsSchema = Type.Object({
  findings: Type.Array(FindingSchema),
  generatedAt: Type.String(),
});
