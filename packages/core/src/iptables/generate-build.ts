// Building kube-proxy's filter and nat tables for one sync, before rendering.
import type { ParseIssue } from '../common/issues.js';
import { issue } from '../common/issues.js';
import { proxyInputIssues } from '../endpoints/input-issues.js';
import { servicePortsFor } from '../endpoints/service-ports.js';
import type { CategorizedEndpoints, ProxyServicePort } from '../endpoints/types.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import { TableBuffer } from './generate-buffer.js';
import { resolveContext } from './generate-context.js';
import type { GenerateContext, GenerateIptablesOptions } from './generate-context.js';
import { writeServicePort } from './generate-service.js';
import { declareStaticChains, writeNodePortsTail, writeStaticRules } from './generate-static.js';

export interface GeneratedServicePort {
  port: ProxyServicePort;
  endpoints: CategorizedEndpoints;
}

export interface IptablesInput {
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
}

/** The generated tables before rendering, for the full and the partial-sync writers. */
export interface BuiltIptables {
  ctx: GenerateContext;
  filter: TableBuffer;
  nat: TableBuffer;
  servicePorts: GeneratedServicePort[];
  largeClusterMode: boolean;
  issues: ParseIssue[];
}

export function buildIptables(
  input: IptablesInput,
  settings: ProxySettings,
  opts: GenerateIptablesOptions,
): BuiltIptables {
  const issues: ParseIssue[] = proxyInputIssues(input.services, input.endpointSlices, opts.family);
  const ctx = resolveContext(settings, opts);
  if (ctx.nodeIPs.length === 0) {
    issues.push(issue('warning', null, `no IPv${opts.family} node IP: node-IP dependent rules are omitted`));
  }
  const filter = new TableBuffer('filter');
  const nat = new TableBuffer('nat', opts.format === 'save');
  declareStaticChains(filter, nat);
  writeStaticRules(ctx, filter, nat);

  const ports = servicePortsFor(input.services, input.endpointSlices, settings, opts.family);
  const totalEndpoints = ports.reduce((n, p) => n + p.endpoints.length, 0);
  const largeClusterMode = totalEndpoints > ctx.largeClusterThreshold;
  const target = {
    ctx,
    filter,
    nat,
    nodeName: settings.nodeName,
    zone: settings.zone,
    featureGates: settings.featureGates,
    largeClusterMode,
  };
  const servicePorts: GeneratedServicePort[] = [];
  for (const port of ports) servicePorts.push({ port, endpoints: writeServicePort(target, port) });
  writeNodePortsTail(ctx, nat);
  return { ctx, filter, nat, servicePorts, largeClusterMode, issues };
}
