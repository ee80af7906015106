// Exact-match index of a named set or map, so that lookups in large kube-proxy maps
// (thousands of service-ips elements) do not scan every element; prefixes, ranges and
// wildcards stay in a short list that is still scanned.
import { parseIp } from '../common/ip.js';
import { keyMatches, parseNumber, type RuntimeValue } from './trace-values.js';
import type { NftSet, NftSetElement } from './types.js';

interface SetIndex {
  exact: Map<string, NftSetElement>;
  rest: NftSetElement[];
}

const PROTO_BY_NUMBER: Readonly<Record<number, string>> = {
  6: 'tcp',
  17: 'udp',
  132: 'sctp',
  1: 'icmp',
  58: 'icmpv6',
};
const cache = new WeakMap<NftSet, SetIndex>();

/** Normal form of one element part by its type, or null when it is not an exact value. */
function partKey(type: string | undefined, text: string): string | null {
  switch (type) {
    case 'ipv4_addr':
    case 'ipv6_addr': {
      if (text.includes('/') || text.includes('-')) return null;
      const ip = parseIp(text);
      return ip === null ? null : `ip:${ip.family}:${ip.value}`;
    }
    case 'inet_proto': {
      const n = parseNumber(text);
      return `p:${n === null ? text.toLowerCase() : (PROTO_BY_NUMBER[n] ?? String(n))}`;
    }
    case 'inet_service':
    case 'mark':
    case 'integer': {
      const n = parseNumber(text);
      return n === null ? null : `n:${n}`;
    }
    case 'ifname':
      return text.endsWith('*') ? null : `s:${text}`;
    default:
      return null;
  }
}

/** Normal form of a packet value, matching `partKey`. */
function valueKey(v: RuntimeValue): string | null {
  switch (v.t) {
    case 'ip':
      return `ip:${v.v.family}:${v.v.value}`;
    case 'num':
      return `n:${v.v}`;
    case 'proto':
      return `p:${v.v}`;
    case 'str':
      return `s:${v.v}`;
    default:
      return null;
  }
}

function build(set: NftSet): SetIndex {
  const exact = new Map<string, NftSetElement>();
  const rest: NftSetElement[] = [];
  for (const el of set.elements) {
    const parts = el.key.map((t, i) =>
      el.key.length === set.keyType.length ? partKey(set.keyType[i], t) : null,
    );
    if (parts.every((x) => x !== null)) {
      const k = parts.join('|');
      if (!exact.has(k)) exact.set(k, el);
    } else rest.push(el);
  }
  return { exact, rest };
}

/** The first element whose key matches `values` (null when none); `unknown` when some could not be decided. */
export function findElement(
  set: NftSet,
  values: readonly RuntimeValue[],
): { hit: NftSetElement | null; unknown: boolean } {
  let idx = cache.get(set);
  if (idx === undefined || idx.exact.size + idx.rest.length > set.elements.length) {
    idx = build(set);
    cache.set(set, idx);
  }
  const keys = values.map(valueKey);
  const candidates = keys.every((k) => k !== null) ? idx.rest : set.elements;
  if (keys.every((k) => k !== null)) {
    const hit = idx.exact.get(keys.join('|'));
    if (hit !== undefined) return { hit, unknown: false };
  }
  let unknown = false;
  for (const el of candidates) {
    const m = keyMatches(values, el.key);
    if (m === true) return { hit: el, unknown: false };
    if (m === null) unknown = true;
  }
  return { hit: null, unknown };
}
