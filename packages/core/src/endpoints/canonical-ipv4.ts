// The common case of endpoint addresses, checked without parsing into bytes.

/**
 * `s` itself when it is an IPv4 address in canonical dotted-quad form (four decimal parts of at
 * most 255, no leading zeros): then `formatIP(parseIPSloppy(s))` is `s`. Otherwise null, and the
 * caller parses as usual.
 */
export function canonicalIPv4(s: string): string | null {
  const n = s.length;
  if (n < 7 || n > 15) return null;
  let parts = 0;
  let digits = 0;
  let value = 0;
  let leadingZero = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && leadingZero)) return null;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) leadingZero = c === 48;
      if (++digits > 3) return null;
      value = value * 10 + (c - 48);
    } else return null;
  }
  return parts === 4 ? s : null;
}
