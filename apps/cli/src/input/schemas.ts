import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InputError } from './read-input.js';

const Ip = Type.String({ pattern: '^[0-9a-fA-F:.]+$', description: 'an IPv4 or IPv6 address' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Proto = Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('sctp')]);

export const TraceOptionsSchema = Type.Object({
  dump: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  src: Ip,
  dst: Ip,
  dport: Port,
  proto: Proto,
  nodeIp: Type.Array(Ip),
  inInterface: Type.Optional(Type.String({ minLength: 1 })),
  outInterface: Type.Optional(Type.String({ minLength: 1 })),
  json: Type.Boolean(),
});
export type TraceOptions = Static<typeof TraceOptionsSchema>;

export const GraphOptionsSchema = Type.Object({
  dump: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  service: Type.Optional(
    Type.String({ pattern: '^[^/\\s]+/[^/:\\s]+(:[^\\s]*)?$', description: 'NAMESPACE/NAME[:PORT]' }),
  ),
  json: Type.Boolean(),
});
export type GraphOptions = Static<typeof GraphOptionsSchema>;

export const GenerateOptionsSchema = Type.Object({
  cluster: Type.String({ minLength: 1 }),
  node: Type.String({ minLength: 1 }),
  mode: Type.Optional(Type.Union([Type.Literal('iptables'), Type.Literal('nftables'), Type.Literal('ipvs')])),
  proxyConfig: Type.Optional(Type.String({ minLength: 1 })),
  clusterCidr: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F:.]+/\\d+(,[0-9a-fA-F:.]+/\\d+)*$' })),
  nodeIp: Type.Array(Ip),
  format: Type.Union([Type.Literal('save'), Type.Literal('restore-input')]),
  family: Type.Union([Type.Literal(4), Type.Literal(6)]),
  part: Type.Union([
    Type.Literal('all'),
    Type.Literal('ipvs'),
    Type.Literal('ipset'),
    Type.Literal('iptables'),
  ]),
});
export type GenerateOptions = Static<typeof GenerateOptionsSchema>;

/** Checks parsed command-line options against a schema; throws an InputError naming each bad one. */
export function validate<S extends TSchema>(schema: S, value: unknown): Static<S> {
  if (Value.Check(schema, value)) return value;
  const problems = [...Value.Errors(schema, value)].map((e) => {
    const flag = e.path
      .replace(/^\//, '')
      .replace(/\/\d+$/, '')
      .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return `--${flag}: ${e.message}${e.value !== undefined ? ` (got ${JSON.stringify(e.value)})` : ''}`;
  });
  throw new InputError(problems.join('\n'));
}

export const ServeOptionsSchema = Type.Object({
  demo: Type.Boolean(),
  kubeconfig: Type.Optional(Type.String({ minLength: 1 })),
  context: Type.Optional(Type.String({ minLength: 1 })),
  inCluster: Type.Boolean(),
  snapshot: Type.Optional(Type.String({ minLength: 1 })),
  host: Type.String({ minLength: 1 }),
  port: Port,
  authTokenFile: Type.Optional(Type.String({ minLength: 1 })),
  webRoot: Type.Optional(Type.String({ minLength: 1 })),
  logLevel: Type.Union([
    Type.Literal('fatal'),
    Type.Literal('error'),
    Type.Literal('warn'),
    Type.Literal('info'),
    Type.Literal('debug'),
  ]),
  collect: Type.Array(Type.Union([Type.Literal('agent'), Type.Literal('local'), Type.Literal('exec')])),
  execNamespace: Type.Optional(
    Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', description: 'a namespace name' }),
  ),
  execSelector: Type.Optional(
    Type.String({
      // Equality selectors only (`a=b`, `a==b`, comma separated), as the exec collector reads them.
      pattern: '^[A-Za-z0-9._/-]+==?[A-Za-z0-9._-]*(,[A-Za-z0-9._/-]+==?[A-Za-z0-9._-]*)*$',
      description: 'an equality label selector, e.g. k8s-app=kube-proxy',
    }),
  ),
  execContainer: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' })),
});
export type ServeOptions = Static<typeof ServeOptionsSchema>;

export const AgentOptionsSchema = Type.Object({
  host: Type.String({ minLength: 1 }),
  port: Port,
  authTokenFile: Type.Optional(Type.String({ minLength: 1 })),
});
export type AgentOptions = Static<typeof AgentOptionsSchema>;

export const SnapshotOptionsSchema = Type.Object({
  server: Type.String({ pattern: '^https?://' }),
  out: Type.String({ minLength: 1 }),
  authTokenFile: Type.Optional(Type.String({ minLength: 1 })),
});
export type SnapshotOptions = Static<typeof SnapshotOptionsSchema>;

export const LabOptionsSchema = Type.Object({
  mode: Type.Union([Type.Literal('iptables'), Type.Literal('nftables')]),
  connections: Type.Integer({ minimum: 10, maximum: 1000 }),
  timeoutMs: Type.Integer({ minimum: 50, maximum: 10_000 }),
  cluster: Type.Optional(Type.String({ minLength: 1 })),
  node: Type.Optional(Type.String({ minLength: 1 })),
  clusterCidr: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F:.]+/\\d+$' })),
  kernelTrace: Type.Boolean(),
  json: Type.Boolean(),
});
export type LabCommandOptions = Static<typeof LabOptionsSchema>;
