// Naming and formatting of virtual services, shared by the parser, the graph and the lookup.
import { joinHostPort } from '../common/ip.js';
import { PROTOCOL_NAMES } from './protocols.js';
import type { VirtualService } from './types.js';

/** `TCP 10.96.0.1:443`, `UDP [fd00::a]:53`, `FWM 1` — how `ipvsadm -Ln` names a service. */
export function virtualServiceKey(
  vs: Pick<VirtualService, 'protocol' | 'address' | 'port' | 'fwmark' | 'family'>,
): string {
  if (vs.fwmark !== null || vs.protocol === null || vs.address === null) {
    return `FWM ${vs.fwmark ?? 0}${vs.family === 6 ? ' IPv6' : ''}`;
  }
  return `${PROTOCOL_NAMES[vs.protocol]} ${joinHostPort(vs.address, vs.port ?? 0)}`;
}

/** `10.96.0.1:443/tcp`: the name a service gets when the dump does not say which Service it is. */
export function virtualServiceName(
  vs: Pick<VirtualService, 'protocol' | 'address' | 'port' | 'fwmark' | 'family'>,
): string {
  if (vs.fwmark !== null || vs.protocol === null || vs.address === null) return `fwmark:${vs.fwmark ?? 0}`;
  return `${joinHostPort(vs.address, vs.port ?? 0)}/${vs.protocol}`;
}
