// IP parsing as kube-proxy does it: "sloppy" IPv4 (leading zeros accepted, read as decimal),
// canonical output (Go's net.IP.String()), and CIDR helpers.

export type IPFamily = 4 | 6;

export interface ParsedIP {
  family: IPFamily;
  /** 4 or 16 bytes. */
  bytes: number[];
}

export interface ParsedCIDR {
  family: IPFamily;
  /** Network address (host bits cleared), 4 or 16 bytes. */
  bytes: number[];
  prefix: number;
}

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
export function parseIPSloppy(s: string): ParsedIP | null {
  if (s.includes(':')) {
    const b = parseIPv6(s);
    if (!b) return null;
    const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    return mapped ? { family: 4, bytes: b.slice(12) } : { family: 6, bytes: b };
  }
  const b = parseIPv4Sloppy(s);
  return b ? { family: 4, bytes: b } : null;
}

/** Go's net.IP.String(): dotted IPv4, RFC 5952 IPv6 (longest zero run of ≥2 groups compressed). */
export function formatIP(ip: ParsedIP): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number | undefined) => (g ?? 0).toString(16);
  if (bestLen < 2) return groups.map(hex).join(':');
  return `${groups.slice(0, bestStart).map(hex).join(':')}::${groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':')}`;
}

/** The canonical text of `s`, or null when it is not an IP address. */
export function canonicalIP(s: string): string | null {
  const p = parseIPSloppy(s);
  return p ? formatIP(p) : null;
}

export const ipFamilyOf = (s: string): IPFamily | null => parseIPSloppy(s)?.family ?? null;

/** Parses `addr/prefix` sloppily; the result is the masked network, as Go's ParseCIDR returns. */
export function parseCIDRSloppy(s: string): ParsedCIDR | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIPSloppy(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(prefixText)) return null;
  const prefix = Number.parseInt(prefixText, 10);
  if (prefix > ip.bytes.length * 8) return null;
  return { family: ip.family, bytes: maskBytes(ip.bytes, prefix), prefix };
}

function maskBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

export const formatCIDR = (c: ParsedCIDR): string =>
  `${formatIP({ family: c.family, bytes: c.bytes })}/${c.prefix}`;

/** The canonical `network/prefix` text of `s`, or null when it is not a CIDR. */
export function canonicalCIDR(s: string): string | null {
  const c = parseCIDRSloppy(s);
  return c ? formatCIDR(c) : null;
}

export function cidrContainsSloppy(cidr: ParsedCIDR | string, ip: ParsedIP | string): boolean {
  const c = typeof cidr === 'string' ? parseCIDRSloppy(cidr) : cidr;
  const a = typeof ip === 'string' ? parseIPSloppy(ip) : ip;
  if (!c || !a || c.family !== a.family) return false;
  const masked = maskBytes(a.bytes, c.prefix);
  return masked.every((b, i) => b === c.bytes[i]);
}

/** `ip:port`, or `[ip]:port` for IPv6 (Go's net.JoinHostPort). */
export const joinIPPort = (ip: string, port: number | string): string =>
  ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
