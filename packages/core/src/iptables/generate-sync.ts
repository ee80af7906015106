// kube-proxy's partial syncs (MinimizeIPTablesRestore): after a successful restore, only the
// per-service chains of Services whose object or EndpointSlices changed are rewritten; the
// top-level chains are always rewritten; chains no longer used are flushed and deleted (§3.10).
import type { ProxySettings } from '../model/types.js';
import { IPTABLES_SERVICE_CHAIN_PREFIXES } from '../naming/iptables-names.js';
import { TableBuffer } from './generate-buffer.js';
import { buildIptables } from './generate-build.js';
import {
  cachedEndpointChainName as endpointChainName,
  cachedServicePortChainNames as servicePortChainNames,
} from './generate-chain-names.js';
import type { BuiltIptables, IptablesInput } from './generate-build.js';
import type { GenerateIptablesOptions } from './generate-context.js';
import type { GenerateIptablesResult } from './generate.js';

export interface IptablesSyncOptions extends GenerateIptablesOptions {
  /** The objects of the last successful restore; absent = first sync (full). */
  previous?: IptablesInput;
  /** Force a full sync (startup, after a failed restore, periodic). Stale chains are still deleted. */
  fullSync?: boolean;
}

const serviceKey = (ns: string | undefined, name: string) => `${ns ?? 'default'}/${name}`;

/** Per Service: a fingerprint of the Service object and its EndpointSlices. */
function fingerprints(input: IptablesInput): Map<string, string> {
  const parts = new Map<string, string[]>();
  const add = (key: string, text: string) => parts.set(key, [...(parts.get(key) ?? []), text]);
  for (const s of input.services)
    add(serviceKey(s.metadata.namespace, s.metadata.name), `S${JSON.stringify(s)}`);
  const slices = [...input.endpointSlices].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const sl of slices) {
    const svc = sl.metadata.labels?.['kubernetes.io/service-name'];
    if (svc) add(serviceKey(sl.metadata.namespace, svc), `E${JSON.stringify(sl)}`);
  }
  return new Map([...parts].map(([k, v]) => [k, v.join('\n')]));
}

/** Services whose object or slices differ between the two inputs (added and removed included). */
export function changedServices(previous: IptablesInput, next: IptablesInput): Set<string> {
  const a = fingerprints(previous);
  const b = fingerprints(next);
  const out = new Set<string>();
  for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) out.add(k);
  return out;
}

const isServiceChain = (chain: string) => IPTABLES_SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));

/** Per-service nat chain → owning Service, from a build. */
function chainOwners(b: BuiltIptables): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { port, endpoints } of b.servicePorts) {
    const key = serviceKey(port.namespace, port.serviceName);
    const proto = port.protocol.toLowerCase();
    for (const c of Object.values(servicePortChainNames(port.servicePortName, proto))) owners.set(c, key);
    for (const ep of endpoints.allReachable)
      owners.set(endpointChainName(port.servicePortName, proto, ep.endpoint), key);
  }
  return owners;
}

/**
 * The restore input of one sync given the state the previous sync left: a partial restore when
 * `previous` is given and `fullSync` is not set, with `-X` for chains that are no longer used.
 */
export function generateIptablesSync(
  input: IptablesInput,
  settings: ProxySettings,
  opts: IptablesSyncOptions,
): GenerateIptablesResult {
  const next = buildIptables(input, settings, opts);
  const nat = new TableBuffer('nat');
  const partial = opts.previous !== undefined && opts.fullSync !== true;
  const changed = opts.previous ? changedServices(opts.previous, input) : new Set<string>();
  const owners = chainOwners(next);
  const keep = (chain: string) => {
    if (!partial || !isServiceChain(chain)) return true;
    const owner = owners.get(chain);
    return owner === undefined || changed.has(owner);
  };
  for (const c of next.nat.chains) if (keep(c)) nat.chain(c);
  for (const r of next.nat.rules) if (keep(r.split(' ')[1] ?? '')) nat.rules.push(r);
  if (opts.previous) {
    const prev = buildIptables(opts.previous, settings, opts);
    const active = new Set(next.nat.chains);
    for (const c of prev.nat.chains) {
      if (isServiceChain(c) && !active.has(c)) {
        nat.chain(c);
        nat.deletes.push(c);
      }
    }
  }
  const restoreInput = next.filter.text() + nat.text();
  return {
    text: restoreInput,
    issues: next.issues,
    restoreInput,
    servicePorts: next.servicePorts,
    largeClusterMode: next.largeClusterMode,
  };
}
