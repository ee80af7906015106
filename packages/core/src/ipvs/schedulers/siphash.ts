// SipHash-c-d over 64-bit words with BigInt. The kernel's hsiphash() on 64-bit machines is
// SipHash-1-3 returning the low 32 bits (lib/siphash.c: "on 64-bit, we make HalfSipHash1-3 actually
// be SipHash1-3"); 32-bit kernels use real HalfSipHash-1-3, which is not modelled here.

const MASK64 = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & MASK64;

interface SipState {
  v0: bigint;
  v1: bigint;
  v2: bigint;
  v3: bigint;
}

function sipRound(s: SipState): void {
  s.v0 = (s.v0 + s.v1) & MASK64;
  s.v1 = rotl(s.v1, 13n) ^ s.v0;
  s.v0 = rotl(s.v0, 32n);
  s.v2 = (s.v2 + s.v3) & MASK64;
  s.v3 = rotl(s.v3, 16n) ^ s.v2;
  s.v0 = (s.v0 + s.v3) & MASK64;
  s.v3 = rotl(s.v3, 21n) ^ s.v0;
  s.v2 = (s.v2 + s.v1) & MASK64;
  s.v1 = rotl(s.v1, 17n) ^ s.v2;
  s.v2 = rotl(s.v2, 32n);
}

/** SipHash-c-d of `data` (little-endian bytes) under the 128-bit key (k0, k1): the 64-bit result. */
export function sipHash(data: Uint8Array, k0: bigint, k1: bigint, cRounds = 2, dRounds = 4): bigint {
  const s: SipState = {
    v0: 0x736f6d6570736575n ^ k0,
    v1: 0x646f72616e646f6dn ^ k1,
    v2: 0x6c7967656e657261n ^ k0,
    v3: 0x7465646279746573n ^ k1,
  };
  const len = data.length;
  const whole = len - (len % 8);
  for (let off = 0; off < whole; off += 8) {
    let m = 0n;
    for (let i = 7; i >= 0; i--) m = (m << 8n) | BigInt(data[off + i] ?? 0);
    s.v3 ^= m;
    for (let r = 0; r < cRounds; r++) sipRound(s);
    s.v0 ^= m;
  }
  let b = BigInt(len & 0xff) << 56n;
  for (let i = len - 1; i >= whole; i--) b |= BigInt(data[i] ?? 0) << BigInt(8 * (i - whole));
  s.v3 ^= b;
  for (let r = 0; r < cRounds; r++) sipRound(s);
  s.v0 ^= b;
  s.v2 ^= 0xffn;
  for (let r = 0; r < dRounds; r++) sipRound(s);
  return (s.v0 ^ s.v1 ^ s.v2 ^ s.v3) & MASK64;
}

/** The kernel's `hsiphash(&v, 4, key)` for one u32 on a 64-bit little-endian machine. */
export function kernelHsiphashU32(value: number, key0: bigint, key1: bigint): number {
  const v = value >>> 0;
  const bytes = new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
  return Number(sipHash(bytes, key0, key1, 1, 3) & 0xffffffffn);
}
