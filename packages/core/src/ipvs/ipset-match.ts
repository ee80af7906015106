// `-m set --match-set NAME dir[,dir…]` evaluated against a parsed ipset dump.
import { cidrContains, parseCidr, parseIp, type IpValue } from '../common/ip.js';
import type { L4Protocol } from '../trace/types.js';
import type { IpsetEntry, IpsetSet, IpsetState } from './types.js';

export interface IpsetPacket {
  src: string;
  dst: string;
  proto: L4Protocol | string;
  dport: number;
  sport?: number;
}

type Dimension = 'ip' | 'net' | 'port' | 'mac' | 'iface' | 'mark';

/** `hash:ip,port,net` → ['ip', 'port', 'net']; `bitmap:port` → ['port']. */
export function ipsetDimensions(type: string): Dimension[] {
  const spec = type.split(':')[1] ?? '';
  return spec
    .split(',')
    .filter((d): d is Dimension => ['ip', 'net', 'port', 'mac', 'iface', 'mark'].includes(d));
}

function ipInRange(text: string, addr: IpValue): boolean {
  const dash = text.indexOf('-');
  if (dash > 0) {
    const lo = parseIp(text.slice(0, dash));
    const hi = parseIp(text.slice(dash + 1));
    return (
      lo !== null &&
      hi !== null &&
      lo.family === addr.family &&
      addr.value >= lo.value &&
      addr.value <= hi.value
    );
  }
  const c = parseCidr(text);
  return c !== null && cidrContains(c, addr);
}

function portMatches(text: string, proto: string, port: number | undefined, withProtocol: boolean): boolean {
  if (port === undefined) return false;
  let entryProto = 'tcp';
  let portText = text;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    entryProto = text.slice(0, colon).toLowerCase();
    portText = text.slice(colon + 1);
  }
  if (withProtocol && entryProto !== proto.toLowerCase()) return false;
  const dash = portText.indexOf('-');
  if (dash > 0) return port >= Number(portText.slice(0, dash)) && port <= Number(portText.slice(dash + 1));
  return /^\d+$/.test(portText) && Number(portText) === port;
}

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'udplite']);

/** The exact key of one member part (`4:167772161`, `tcp:80`), or null for a range or a network. */
function partKey(dim: Dimension, text: string, bitmapPort: boolean): string | null {
  if (dim === 'ip') {
    if (text.includes('-') || text.includes('/')) return null;
    const ip = parseIp(text);
    return ip ? `${ip.family}:${ip.value}` : null;
  }
  if (dim !== 'port' || text.includes('-')) return null;
  const colon = text.indexOf(':');
  const proto = colon >= 0 ? text.slice(0, colon).toLowerCase() : 'tcp';
  const port = colon >= 0 ? text.slice(colon + 1) : text;
  if (!/^\d+$/.test(port)) return null;
  return bitmapPort ? `${Number(port)}` : `${proto}:${Number(port)}`;
}

/**
 * kube-proxy's sets (hash:ip, hash:ip,port, hash:ip,port,ip, bitmap:port) hold exact members:
 * those are looked up by key, as the kernel hashes them, instead of scanned. null when the set
 * has ranges or networks.
 */
const exactIndexes = new WeakMap<IpsetSet, Set<string> | null>();

function exactIndex(set: IpsetSet, dims: Dimension[]): Set<string> | null {
  const cached = exactIndexes.get(set);
  if (cached !== undefined) return cached;
  let index: Set<string> | null = new Set();
  const bitmapPort = set.type === 'bitmap:port';
  for (const entry of set.entries) {
    const keys = dims.map((d, i) => partKey(d, entry.parts[i] ?? '', bitmapPort));
    if (entry.nomatch || keys.some((k) => k === null)) {
      index = null;
      break;
    }
    index.add(keys.join(','));
  }
  exactIndexes.set(set, index);
  return index;
}

function packetKey(set: IpsetSet, dims: Dimension[], flags: string[], packet: IpsetPacket): string | null {
  const parts: string[] = [];
  for (let i = 0; i < dims.length; i++) {
    const useSrc = flags[i] === 'src';
    if (dims[i] === 'ip') {
      const ip = parseIp(useSrc ? packet.src : packet.dst);
      if (!ip) return null;
      parts.push(`${ip.family}:${ip.value}`);
    } else {
      const proto = packet.proto.toLowerCase();
      const port = useSrc ? packet.sport : packet.dport;
      if (port === undefined || !PORT_PROTOCOLS.has(proto)) return null;
      parts.push(set.type === 'bitmap:port' ? `${port}` : `${proto}:${port}`);
    }
  }
  return parts.join(',');
}

function entryMatches(
  set: IpsetSet,
  entry: IpsetEntry,
  dims: Dimension[],
  flags: string[],
  packet: IpsetPacket,
): boolean {
  const bitmapPort = set.type === 'bitmap:port';
  for (let i = 0; i < dims.length; i++) {
    const dim = dims[i];
    const part = entry.parts[i];
    const useSrc = flags[i] === 'src';
    if (part === undefined) return false;
    if (dim === 'ip' || dim === 'net') {
      const addr = parseIp(useSrc ? packet.src : packet.dst);
      if (!addr || !ipInRange(part, addr)) return false;
    } else if (dim === 'port') {
      if (!['tcp', 'udp', 'sctp', 'udplite'].includes(packet.proto.toLowerCase())) return false;
      if (!portMatches(part, packet.proto, useSrc ? packet.sport : packet.dport, !bitmapPort)) return false;
    } else return false; // mac/iface/mark are not part of the packet model
  }
  return true;
}

/**
 * Whether the packet is in the set for the given directions (`['dst', 'dst', 'src']`), as
 * `-m set --match-set` decides it. 'unknown-set' when the dump has no such set. As in the kernel,
 * fewer directions than the set has dimensions never match; a needed source port that the packet
 * does not carry counts as no match; `nomatch` members (hash:net exceptions) win.
 */
export function ipsetMatches(
  state: IpsetState,
  setName: string,
  flags: string[],
  packet: IpsetPacket,
): boolean | 'unknown-set' {
  const set = state.sets.get(setName);
  if (!set) return 'unknown-set';
  const dims = ipsetDimensions(set.type);
  if (dims.length === 0 || flags.length < dims.length) return false;
  if (set.family !== null) {
    const addr = parseIp(packet.dst);
    if (addr && addr.family !== set.family) return false;
  }
  const index = exactIndex(set, dims);
  if (index) {
    const key = packetKey(set, dims, flags, packet);
    return key !== null && index.has(key);
  }
  let matched = false;
  for (const entry of set.entries) {
    if (!entryMatches(set, entry, dims, flags, packet)) continue;
    if (entry.nomatch) return false;
    matched = true;
  }
  return matched;
}
