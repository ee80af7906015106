// Go's `fmt.Sprintf("%0.10f", x)`: exact decimal expansion of the double, rounded half to even.

/** `x` with exactly `digits` decimals, rounded as Go's strconv does (exact value, ties to even). */
export function formatFixedGo(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  // Exact rational abs = mant * 2^exp.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const rawExp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (rawExp === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = rawExp - 1075;
  }
  const scale = 10n ** BigInt(digits);
  let num = mant * scale;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const r = num % den;
  const twice = r * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(digits + 1, '0');
  const intPart = s.slice(0, s.length - digits);
  const frac = s.slice(s.length - digits);
  const body = digits > 0 ? `${intPart}.${frac}` : intPart;
  return negative && q !== 0n ? `-${body}` : body;
}

/**
 * The probability kube-proxy writes for the i-th of n remaining endpoints: `1/n` with 10
 * decimals (`computeProbability`).
 */
export function iptablesProbability(n: number): string {
  let p = probabilityCache.get(n);
  if (p === undefined) {
    p = formatFixedGo(1 / n, 10);
    if (probabilityCache.size < 100_000) probabilityCache.set(n, p);
  }
  return p;
}
const probabilityCache = new Map<number, string>();
