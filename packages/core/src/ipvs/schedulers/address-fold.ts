import { parseIp } from '../../common/ip.js';

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
