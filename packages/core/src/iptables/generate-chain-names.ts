// kube-proxy's chain names for the generator, remembered between generations: each is a SHA-256
// hash, and the same service ports and endpoints come back on every generation (a dashboard
// regenerates on each change; a partial sync builds both the previous and the next state).
import type { ServicePortChainNames } from '../naming/iptables-names.js';
import { endpointChainName, servicePortChainNames } from '../naming/iptables-names.js';

/** Names kept per map; past this the map starts over, so memory stays bounded. */
const MAX_REMEMBERED = 100_000;

const servicePortNames = new Map<string, Readonly<ServicePortChainNames>>();
const endpointNames = new Map<string, string>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_REMEMBERED) map.clear();
  map.set(key, value);
  return value;
}

/** `servicePortChainNames`; the object is shared, do not modify it. */
export function cachedServicePortChainNames(
  servicePortName: string,
  protocol: string,
): Readonly<ServicePortChainNames> {
  // The hash input is exactly this concatenation, so it identifies the names.
  const key = servicePortName + protocol.toLowerCase();
  return (
    servicePortNames.get(key) ??
    remember(servicePortNames, key, Object.freeze(servicePortChainNames(servicePortName, protocol)))
  );
}

/** `endpointChainName`. */
export function cachedEndpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  const key = servicePortName + protocol.toLowerCase() + endpoint;
  return (
    endpointNames.get(key) ??
    remember(endpointNames, key, endpointChainName(servicePortName, protocol, endpoint))
  );
}
