// The ruleset kube-proxy (iptables mode) writes for a set of Services and EndpointSlices.
import type { ParseIssue } from '../common/issues.js';
import type { ProxySettings } from '../model/types.js';
import { buildIptables } from './generate-build.js';
import type { GeneratedServicePort, IptablesInput } from './generate-build.js';
import type { GenerateIptablesOptions } from './generate-context.js';
import { renderSave } from './generate-save.js';

export type { GenerateIptablesOptions, NfacctCounter } from './generate-context.js';
export { formatMark } from './generate-context.js';
export { sortIptablesRestore } from './generate-sort.js';
export {
  buildIptables,
  type BuiltIptables,
  type GeneratedServicePort,
  type IptablesInput,
} from './generate-build.js';
export { changedServices, generateIptablesSync, type IptablesSyncOptions } from './generate-sync.js';

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
  input: IptablesInput,
  settings: ProxySettings,
  opts: GenerateIptablesOptions,
): GenerateIptablesResult {
  const b = buildIptables(input, settings, opts);
  const restoreInput = b.filter.text() + b.nat.text();
  const text = opts.format === 'save' ? renderSave(b.ctx, b.filter, b.nat) : restoreInput;
  return {
    text,
    issues: b.issues,
    restoreInput,
    servicePorts: b.servicePorts,
    largeClusterMode: b.largeClusterMode,
  };
}
