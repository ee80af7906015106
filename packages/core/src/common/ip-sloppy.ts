// API input read as kube-proxy reads it (netutils.ParseIPSloppy / ParseCIDRSloppy): IPv4 parts
// with leading zeros are decimal (`010.1.1.1` is 10.1.1.1, KUBE-PROXY.md §8), IPv4-mapped IPv6
// is IPv4, and nothing else is taken: no brackets, spaces or zones, unlike parseIp. Values and
// text are common/ip.ts's (IpValue, formatIp).
import {
  addressBits,
  cidrContains,
  cidrNetwork,
  formatCidr,
  formatIp,
  ipFromBytes,
  type CidrValue,
  type IpFamily,
  type IpValue,
} from './ip.js';

function parseIPv4Sloppy(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number.parseInt(p, 10);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | null {
  if (s.length < 2) return null;
  let text = s;
  let tail: number[] = [];
  // Embedded IPv4 in the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4Sloppy(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (h: string): number[] | null => {
    if (h === '') return [];
    const groups: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(Number.parseInt(g, 16));
    }
    return groups;
  };
  const head = parseGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !rest) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Parses an IP address like Go's netutils.ParseIPSloppy; IPv4-mapped IPv6 counts as IPv4. */
export function parseIPSloppy(s: string): IpValue | null {
  if (s.includes(':')) {
    const b = parseIPv6(s);
    if (!b) return null;
    const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    return ipFromBytes(mapped ? b.slice(12) : b);
  }
  const b = parseIPv4Sloppy(s);
  return b ? ipFromBytes(b) : null;
}

/** Parses `addr/prefix` sloppily; the result is the masked network, as Go's ParseCIDR returns. */
export function parseCIDRSloppy(s: string): CidrValue | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIPSloppy(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(prefixText)) return null;
  const prefix = Number.parseInt(prefixText, 10);
  if (prefix > addressBits(ip.family)) return null;
  return cidrNetwork({ ...ip, prefix });
}

/** The canonical text of `s` (Go's net.IP.String()), or null when it is not an IP address. */
export function canonicalIPSloppy(s: string): string | null {
  const p = parseIPSloppy(s);
  return p ? formatIp(p) : null;
}

/** The canonical `network/prefix` text of `s`, or null when it is not a CIDR. */
export function canonicalCIDRSloppy(s: string): string | null {
  const c = parseCIDRSloppy(s);
  return c ? formatCidr(c) : null;
}

export const ipFamilySloppy = (s: string): IpFamily | null => parseIPSloppy(s)?.family ?? null;

function canonicalOfFamily<V extends IpValue>(
  texts: readonly string[],
  family: IpFamily,
  parse: (s: string) => V | null,
  format: (v: V) => string,
): string[] {
  const out: string[] = [];
  for (const s of texts) {
    const v = parse(s);
    if (v && v.family === family) out.push(format(v));
  }
  return out;
}

/** The canonical text of those of `ips` that are addresses of `family`, in order. */
export const canonicalIPsSloppy = (ips: readonly string[], family: IpFamily): string[] =>
  canonicalOfFamily(ips, family, parseIPSloppy, formatIp);

/** The canonical `network/prefix` text of those of `cidrs` that are CIDRs of `family`, in order. */
export const canonicalCIDRsSloppy = (cidrs: readonly string[], family: IpFamily): string[] =>
  canonicalOfFamily(cidrs, family, parseCIDRSloppy, formatCidr);

/** Whether `ip` lies in `cidr`, both read sloppily when given as text (false across families). */
export function cidrContainsSloppy(cidr: CidrValue | string, ip: IpValue | string): boolean {
  const c = typeof cidr === 'string' ? parseCIDRSloppy(cidr) : cidr;
  const a = typeof ip === 'string' ? parseIPSloppy(ip) : ip;
  return c !== null && a !== null && cidrContains(c, a);
}
