// Address helpers shared by the IPVS parsers, schedulers and generator.
import { canonicalIp, parseIp } from '../common/ip.js';
import type { L4Protocol } from '../trace/types.js';

export interface HostPort {
  address: string;
  family: 4 | 6;
  /** null when the text had no port. */
  port: number | null;
}

const cache = new Map<string, HostPort | null>();
const CACHE_LIMIT = 50_000;

/** Reads `10.0.0.1:80`, `[fd00::1]:443`, `10.0.0.1` or `[fd00::1]`; null when it is not an address. */
export function parseAddressPort(text: string): HostPort | null {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const result = readAddressPort(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, result);
  return result;
}

function readAddressPort(text: string): HostPort | null {
  let host = text;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return null;
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1);
    }
  } else {
    const colons = text.split(':').length - 1;
    if (colons === 1) {
      const i = text.indexOf(':');
      host = text.slice(0, i);
      portText = text.slice(i + 1);
    }
  }
  let port: number | null = null;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }
  // Plain dotted quads are most of any dump; they are already canonical.
  if (PLAIN_IPV4.test(host) && host.split('.').every((o) => Number(o) <= 255))
    return { address: host, family: 4, port };
  const ip = parseIp(host);
  if (!ip) return null;
  return { address: canonicalIp(host), family: ip.family, port };
}

const PLAIN_IPV4 = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** `IP:PORT`, IPv6 in brackets (as ipvsadm prints it). */
export const formatAddressPort = (address: string, port: number): string =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

/** Same address whatever the spelling (`fd00::01` = `fd00::1`). */
export function sameAddress(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== null && y !== null && x.family === y.family && x.value === y.value;
}

/**
 * The 32-bit value the kernel's IPVS hashes use for an address: `ntohl(addr)` for IPv4, the XOR of
 * the four 32-bit words (each in host order) for IPv6 (`addr->ip6[0]^…^ip6[3]`). null when not an address.
 */
export function addressFold32(address: string): number | null {
  const ip = parseIp(address);
  if (!ip) return null;
  if (ip.family === 4) return Number(ip.value);
  let v = ip.value;
  let folded = 0;
  for (let i = 0; i < 4; i++) {
    folded = (folded ^ Number(v & 0xffffffffn)) >>> 0;
    v >>= 32n;
  }
  return folded >>> 0;
}

export const PROTOCOL_NAMES: Record<L4Protocol, string> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** Protocol numbers as the kernel and `-m ipvs --vproto` use them. */
export const PROTOCOL_NUMBERS: Record<L4Protocol, number> = { tcp: 6, udp: 17, sctp: 132 };
