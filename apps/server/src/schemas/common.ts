// Shared TypeBox pieces: error bodies, issues, names. Response schemas also decide what
// fast-json-stringify sends, so every field of the DTOs in @svcpath/core/api must be listed.
import { Type } from '@fastify/type-provider-typebox';

export const ErrorBody = Type.Object({ error: Type.String({ description: 'What was wrong, in words.' }) });

export const DumpErrorBody = Type.Object({
  error: Type.String(),
  line: Type.Union([Type.Integer(), Type.Null()]),
});

export const ParseIssueSchema = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  line: Type.Union([Type.Integer(), Type.Null()]),
  path: Type.Optional(Type.String()),
  message: Type.String(),
});

export const ProxyModeSchema = Type.Union([
  Type.Literal('iptables'),
  Type.Literal('nftables'),
  Type.Literal('ipvs'),
]);
export const ProtocolSchema = Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')]);
export const L4ProtocolSchema = Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('sctp')]);
export const ViewSchema = Type.Union([Type.Literal('actual'), Type.Literal('expected')]);
export const DumpKindSchema = Type.Union([
  Type.Literal('iptables'),
  Type.Literal('ip6tables'),
  Type.Literal('nft'),
  Type.Literal('ipvs'),
  Type.Literal('ipset'),
]);

/** A Kubernetes object name (DNS label or subdomain). */
export const K8sName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
});

export const FindingSchema = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
  code: Type.String(),
  message: Type.String(),
  node: Type.Optional(Type.String()),
  service: Type.Optional(Type.String()),
  link: Type.Optional(Type.String()),
});

/** Responses every /api route may give besides its success body. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  429: ErrorBody,
  500: ErrorBody,
} as const;
