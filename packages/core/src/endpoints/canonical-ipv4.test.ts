import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIP, parseIPSloppy } from '../model/ip.js';
import { canonicalIPv4 } from './canonical-ipv4.js';

/** What the slow path makes of `s` when it is an IPv4 address, else null. */
const slow = (s: string): string | null => {
  const ip = parseIPSloppy(s);
  return ip && ip.family === 4 ? formatIP(ip) : null;
};

describe('canonicalIPv4', () => {
  it('accepts canonical dotted quads and nothing the slow path would rewrite', () => {
    for (const s of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.10.1'])
      expect(canonicalIPv4(s)).toBe(s);
    for (const s of [
      '010.0.0.1',
      '1.2.3.256',
      '1.2.3',
      '1.2.3.4.',
      '.1.2.3',
      '1..2.3',
      '1.2.3.4/32',
      '::ffff:1.2.3.4',
      ' 1.2.3.4',
      '1.2.3.0004',
      '',
    ])
      expect(canonicalIPv4(s)).toBeNull();
  });

  it('agrees with parse-and-format whenever it answers', () => {
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '01', '007', '', 'a', '1 ', '+1', '-1', '0x1'),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('.', ':', '..'),
        (parts, sep) => {
          const s = parts.join(sep);
          const fast = canonicalIPv4(s);
          if (fast !== null) expect(fast).toBe(slow(s));
          else if (slow(s) !== null) expect(slow(s)).not.toBe(s);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
