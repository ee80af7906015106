import ipaddr from 'ipaddr.js';

// Strict IP addresses (as dumps print them): parsing, canonical text, CIDR containment, and
// `IP:PORT` joining and splitting. The Go-sloppy reading of API input is in ip-sloppy.ts.

export type IpFamily = 4 | 6;

/** An IP address as a number line position: IPv4 in [0, 2^32), IPv6 in [0, 2^128). */
export interface IpValue {
  family: IpFamily;
  value: bigint;
}

export interface CidrValue extends IpValue {
  prefix: number;
}

/** Bits in an address of the family: 32 or 128. */
export const addressBits = (family: IpFamily): number => (family === 4 ? 32 : 128);

const ipCache = new Map<string, IpValue | null>();
const cidrCache = new Map<string, CidrValue | null>();
const CACHE_LIMIT = 100_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The address of 4 (IPv4) or 16 (IPv6) network-order bytes. */
export function ipFromBytes(bytes: readonly number[]): IpValue {
  let value = 0n;
  // A word at a time: BigInt arithmetic costs more than the number arithmetic it saves.
  for (let i = 0; i < bytes.length; i += 4) {
    const word =
      ((bytes[i] ?? 0) << 24) |
      ((bytes[i + 1] ?? 0) << 16) |
      ((bytes[i + 2] ?? 0) << 8) |
      (bytes[i + 3] ?? 0);
    value = (value << 32n) | BigInt(word >>> 0);
  }
  return { family: bytes.length === 4 ? 4 : 6, value };
}

const toValue = (addr: ipaddr.IPv4 | ipaddr.IPv6): IpValue => ipFromBytes(addr.toByteArray());

/** Parses an address (`10.0.0.1`, `fd00::1`, `[fd00::1]`); null when it is not one. */
export function parseIp(text: string): IpValue | null {
  const cached = ipCache.get(text);
  if (cached !== undefined) return cached;
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  let result: IpValue | null = null;
  if (ipaddr.IPv4.isValidFourPartDecimal(s) || (s.includes(':') && ipaddr.IPv6.isValid(s))) {
    result = toValue(ipaddr.parse(s));
  }
  return remember(ipCache, text, result);
}

/** Parses `10.0.0.0/8`, or a bare address as a host route (/32, /128); null when invalid. */
export function parseCidr(text: string): CidrValue | null {
  const cached = cidrCache.get(text);
  if (cached !== undefined) return cached;
  const slash = text.indexOf('/');
  let result: CidrValue | null = null;
  if (slash < 0) {
    const ip = parseIp(text);
    if (ip) result = { ...ip, prefix: addressBits(ip.family) };
  } else {
    const ip = parseIp(text.slice(0, slash));
    const rest = text.slice(slash + 1);
    const max = addressBits(ip?.family ?? 6);
    if (ip && /^\d+$/.test(rest) && Number(rest) <= max) {
      result = { ...ip, prefix: Number(rest) };
    } else if (ip && ip.family === 4 && ipaddr.IPv4.isValidFourPartDecimal(rest)) {
      // Old iptables prints masks as dotted quads (`10.0.0.0/255.0.0.0`).
      const bits = ipaddr.IPv4.parse(rest).prefixLengthFromSubnetMask();
      if (bits !== null) result = { ...ip, prefix: bits };
    }
  }
  return remember(cidrCache, text, result);
}

/** Whether `ip` lies in `cidr` (false across families). */
export function cidrContains(cidr: CidrValue, ip: IpValue): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt(addressBits(cidr.family) - cidr.prefix);
  return cidr.value >> shift === ip.value >> shift;
}

/** The canonical text of an address (`10.0.0.1`, `fd00::1`), or the input when it is not one. */
export function canonicalIp(text: string): string {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s).toString();
  if (s.includes(':') && ipaddr.IPv6.isValid(s)) return ipaddr.IPv6.parse(s).toRFC5952String();
  return text;
}

/** `ip` as a host route of its family: `10.0.0.1/32`, `fd00::1/128`. */
export const hostCidr = (ip: string, family: IpFamily): string => `${ip}/${addressBits(family)}`;

/** `IP:PORT` with IPv6 in brackets. */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * `IP:PORT`, `[IPv6]:PORT` or `IP` cut apart; `exact` is false when a bracket is left open or
 * followed by something other than `:PORT`.
 */
function splitHostPort(text: string): { host: string; portText: string | null; exact: boolean } {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return { host: text.slice(1), portText: null, exact: false };
    const host = text.slice(1, end);
    const rest = text.slice(end + 1);
    return rest.startsWith(':')
      ? { host, portText: rest.slice(1), exact: true }
      : { host, portText: null, exact: rest === '' };
  }
  const first = text.indexOf(':');
  if (first >= 0 && first === text.lastIndexOf(':')) {
    return { host: text.slice(0, first), portText: text.slice(first + 1), exact: true };
  }
  return { host: text, portText: null, exact: true };
}

/** Splits `IP:PORT` / `[IPv6]:PORT` / `IP`; port null when absent. Lenient: nothing is checked. */
export function parseHostPort(text: string): { host: string; port: number | null } {
  const { host, portText } = splitHostPort(text);
  return { host, port: portText === null ? null : Number(portText) };
}

/** An address with an optional port, checked: canonical address text, port in 0…65535. */
export interface IpPort {
  address: string;
  family: IpFamily;
  /** null when the text had no port. */
  port: number | null;
}

const ipPortCache = new Map<string, IpPort | null>();

/** Reads `10.0.0.1:80`, `[fd00::1]:443`, `10.0.0.1` or `[fd00::1]`; null when it is not an address. */
export function parseIpPort(text: string): IpPort | null {
  const hit = ipPortCache.get(text);
  if (hit !== undefined) return hit;
  return remember(ipPortCache, text, readIpPort(text));
}

function readIpPort(text: string): IpPort | null {
  const { host, portText, exact } = splitHostPort(text);
  if (!exact) return null;
  let port: number | null = null;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }
  // Plain dotted quads are most of any dump; they are already canonical.
  if (isCanonicalIPv4(host)) return { address: host, family: 4, port };
  const ip = parseIp(host);
  return ip ? { address: canonicalIp(host), family: ip.family, port } : null;
}

/** Same address whatever the spelling (`fd00::01` = `fd00::1`); false when either is not one. */
export function sameIp(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== null && y !== null && x.family === y.family && x.value === y.value;
}

/** The network of `cidr`: its address with the host bits cleared. */
export function cidrNetwork(cidr: CidrValue): CidrValue {
  const shift = BigInt(addressBits(cidr.family) - cidr.prefix);
  return { ...cidr, value: (cidr.value >> shift) << shift };
}

/**
 * Canonical text, as canonicalIp gives it: dotted IPv4, RFC 5952 IPv6 (`2001:db8::1`). That is
 * Go's net.IP.String() except for IPv4-mapped IPv6, which the sloppy reading makes IPv4 anyway.
 */
export function formatIp(ip: IpValue): string {
  if (ip.family === 4) {
    const n = Number(ip.value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((ip.value >> shift) & 0xffffn));
  return new ipaddr.IPv6(groups).toRFC5952String();
}

/** `network/prefix` text of `cidr` as given (see cidrNetwork to clear host bits first). */
export const formatCidr = (cidr: CidrValue): string => `${formatIp(cidr)}/${cidr.prefix}`;

/**
 * Whether `s` is an IPv4 address already in canonical dotted-quad form (four decimal parts of at
 * most 255, no leading zeros), checked without parsing: most addresses in inputs and dumps are,
 * and then every reading of them (strict or sloppy) gives `s` back.
 */
export function isCanonicalIPv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let digits = 0;
  let value = 0;
  let leadingZero = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && leadingZero)) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) leadingZero = c === 48;
      if (++digits > 3) return false;
      value = value * 10 + (c - 48);
    } else return false;
  }
  return parts === 4;
}
