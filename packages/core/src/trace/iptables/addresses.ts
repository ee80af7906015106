import { parseIp, type IpValue } from '../../common/ip.js';

/** The node's local addresses, for `addrtype LOCAL` and for routing decisions. */
export class LocalAddresses {
  readonly #values: IpValue[] = [];
  /** `family:value` of every address: an IPVS node has one local address per virtual server. */
  readonly #keys = new Set<string>();

  constructor(addresses: readonly string[]) {
    for (const a of addresses) {
      const ip = parseIp(a);
      if (!ip) continue;
      this.#values.push(ip);
      this.#keys.add(`${ip.family}:${ip.value}`);
    }
  }

  has(ip: IpValue | null): boolean {
    if (!ip) return false;
    if (ip.family === 4 && ip.value >> 24n === 127n) return true;
    if (ip.family === 6 && ip.value === 1n) return true;
    return this.#keys.has(`${ip.family}:${ip.value}`);
  }

  first(family: 4 | 6): string | null {
    const v = this.#values.find((x) => x.family === family);
    if (!v) return null;
    return family === 4 ? v4ToString(v.value) : null;
  }
}

function v4ToString(v: bigint): string {
  const n = Number(v);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The address type the kernel's routing table would give `ip` (`addrtype` module). */
export function addressType(ip: IpValue | null, local: LocalAddresses): string | null {
  if (!ip) return null;
  if (local.has(ip)) return 'LOCAL';
  if (ip.family === 4) {
    if (ip.value >> 28n === 0xen) return 'MULTICAST';
    if (ip.value === 0xffffffffn) return 'BROADCAST';
  } else if (ip.value >> 120n === 0xffn) {
    return 'MULTICAST';
  }
  return 'UNICAST';
}
