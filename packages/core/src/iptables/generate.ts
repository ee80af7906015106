// The ruleset kube-proxy (iptables mode) writes for a set of Services and EndpointSlices.
import type { ParseIssue } from '../common/issues.js';
import { issue } from '../common/issues.js';
import { proxyInputIssues } from '../endpoints/input-issues.js';
import { servicePortsFor } from '../endpoints/service-ports.js';
import type { CategorizedEndpoints, ProxyServicePort } from '../endpoints/types.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import { TableBuffer } from './generate-buffer.js';
import { resolveContext } from './generate-context.js';
import type { GenerateIptablesOptions } from './generate-context.js';
import { renderSave } from './generate-save.js';
import { writeServicePort } from './generate-service.js';
import { declareStaticChains, writeNodePortsTail, writeStaticRules } from './generate-static.js';

export type { GenerateIptablesOptions } from './generate-context.js';
export { formatMark, type NfacctCounter } from './generate-context.js';
export { sortIptablesRestore } from './generate-sort.js';

export interface GeneratedServicePort {
  port: ProxyServicePort;
  endpoints: CategorizedEndpoints;
}

export interface GenerateIptablesResult {
  text: string;
  issues: ParseIssue[];
  /** The restore input (also when `format` is `save`). */
  restoreInput: string;
  /** What each service port resolved to, for explanations. */
  servicePorts: GeneratedServicePort[];
  largeClusterMode: boolean;
}

/**
 * One full sync of kube-proxy's iptables proxier for `opts.family`. `restore-input` is the text
 * handed to `iptables-restore --noflush`; `save` is the whole ruleset as the node would show it.
 */
export function generateIptables(
  input: { services: readonly Service[]; endpointSlices: readonly EndpointSlice[] },
  settings: ProxySettings,
  opts: GenerateIptablesOptions,
): GenerateIptablesResult {
  const issues: ParseIssue[] = proxyInputIssues(input.services, input.endpointSlices, opts.family);
  const ctx = resolveContext(settings, opts);
  if (ctx.nodeIPs.length === 0) {
    issues.push(issue('warning', null, `no IPv${opts.family} node IP: node-IP dependent rules are omitted`));
  }
  const filter = new TableBuffer('filter');
  const nat = new TableBuffer('nat');
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

  const restoreInput = filter.text() + nat.text();
  const text = opts.format === 'save' ? renderSave(ctx, filter, nat) : restoreInput;
  return { text, issues, restoreInput, servicePorts, largeClusterMode };
}
