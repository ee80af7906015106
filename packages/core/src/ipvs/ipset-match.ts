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
  let matched = false;
  for (const entry of set.entries) {
    if (!entryMatches(set, entry, dims, flags, packet)) continue;
    if (entry.nomatch) return false;
    matched = true;
  }
  return matched;
}
