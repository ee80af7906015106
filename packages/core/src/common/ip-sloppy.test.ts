import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalCIDRSloppy,
  canonicalCIDRsSloppy,
  canonicalIPSloppy,
  canonicalIPsSloppy,
  cidrContainsSloppy,
  ipFamilySloppy,
  parseCIDRSloppy,
  parseIPSloppy,
} from './ip-sloppy.js';
import { canonicalIp, parseIp } from './ip.js';

describe('sloppy IP parsing', () => {
  it('reads leading-zero IPv4 octets as decimal and prints canonically', () => {
    expect(canonicalIPSloppy('172.30.0.041')).toBe('172.30.0.41');
    expect(canonicalIPSloppy('010.1.1.1')).toBe('10.1.1.1');
    expect(canonicalIPSloppy('256.1.1.1')).toBeNull();
    expect(canonicalIPSloppy('1.2.3')).toBeNull();
  });
  it('prints IPv6 as Go does', () => {
    expect(canonicalIPSloppy('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIPSloppy('fd80:abcd:12:0:a1b2:c3d4:e5f6:9999')).toBe(
      'fd80:abcd:12:0:a1b2:c3d4:e5f6:9999',
    );
    expect(canonicalIPSloppy('1:0:0:1:0:0:0:1')).toBe('1:0:0:1::1');
    expect(canonicalIPSloppy('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(canonicalIPSloppy('1::2::3')).toBeNull();
  });
  it('round-trips random addresses', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const c = canonicalIPSloppy(ip);
        if (c === null) return;
        expect(canonicalIPSloppy(c)).toBe(c);
        expect(parseIPSloppy(c)).toEqual(parseIPSloppy(ip));
      }),
    );
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(canonicalIPSloppy(ip)).toBe(ip);
      }),
    );
  });
  it('masks CIDRs and tests containment', () => {
    expect(canonicalCIDRSloppy('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(cidrContainsSloppy('203.0.113.0/25', '203.0.113.127')).toBe(true);
    expect(cidrContainsSloppy('203.0.113.0/25', '203.0.113.128')).toBe(false);
    expect(cidrContainsSloppy('2001:db8::/64', '2001:db8::1')).toBe(true);
    expect(cidrContainsSloppy('0.0.0.0/0', '2001:db8::1')).toBe(false);
  });
});

describe('sloppy reading against the strict one', () => {
  it('differs only where Go is sloppier or stricter', () => {
    // Leading zeros: decimal for kube-proxy, refused by the dump reader.
    expect(parseIPSloppy('010.1.1.1')).toEqual({ family: 4, value: 0x0a010101n });
    expect(parseIp('010.1.1.1')).toBeNull();
    // IPv4-mapped IPv6 is IPv4 to Go, IPv6 to the dump reader.
    expect(parseIPSloppy('::ffff:1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
    expect(parseIp('::ffff:1.2.3.4')?.family).toBe(6);
    // IPv4-compatible `::a.b.c.d`: an IPv6 address to Go; ipaddr.js reads it as IPv4-mapped.
    expect(parseIPSloppy('::1.2.3.4')).toEqual({ family: 6, value: 0x01020304n });
    expect(parseIp('::1.2.3.4')).toEqual({ family: 6, value: 0xffff01020304n });
    // Brackets, spaces and zones are dump spellings, not API input.
    for (const s of ['[fd00::1]', ' 1.2.3.4', 'fe80::1%eth0']) {
      expect(parseIPSloppy(s)).toBeNull();
      expect(parseIp(s)).not.toBeNull();
    }
  });
  it('agrees with it on canonical text of every address both read', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (s) => {
        const sloppy = parseIPSloppy(s);
        const strict = parseIp(s);
        if (
          sloppy !== null &&
          strict !== null &&
          sloppy.family === strict.family &&
          sloppy.value === strict.value
        )
          expect(canonicalIPSloppy(s)).toBe(canonicalIp(s));
      }),
    );
  });
});

describe('sloppy CIDRs and lists', () => {
  it('needs a prefix, clears host bits, refuses too long prefixes', () => {
    expect(parseCIDRSloppy('10.1.2.3')).toBeNull();
    expect(parseCIDRSloppy('10.0.0.0/255.0.0.0')).toBeNull();
    expect(parseCIDRSloppy('10.0.0.0/33')).toBeNull();
    expect(parseCIDRSloppy('::ffff:10.0.0.0/104')).toBeNull();
    expect(canonicalCIDRSloppy('010.1.2.3/08')).toBe('10.0.0.0/8');
    expect(canonicalCIDRSloppy('FD00::AB:1/112')).toBe('fd00::ab:0/112');
  });
  it('keeps the addresses and CIDRs of one family, canonical, in order', () => {
    expect(canonicalIPsSloppy(['fd00::01', '010.0.0.1', 'x', '10.0.0.2'], 4)).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
    expect(canonicalIPsSloppy(['fd00::01', '010.0.0.1'], 6)).toEqual(['fd00::1']);
    expect(canonicalCIDRsSloppy(['10.1.0.0/8', 'fd00::1/64', '1.2.3.4'], 4)).toEqual(['10.0.0.0/8']);
    expect(canonicalCIDRsSloppy(['10.1.0.0/8', 'fd00::1/64'], 6)).toEqual(['fd00::/64']);
    expect(ipFamilySloppy('::ffff:1.2.3.4')).toBe(4);
    expect(ipFamilySloppy('fd00::1')).toBe(6);
    expect(ipFamilySloppy('nope')).toBeNull();
  });
  it('tests containment of parsed values as well as text', () => {
    const net = parseCIDRSloppy('10.0.0.0/8');
    const ip = parseIPSloppy('10.9.9.9');
    expect(net && ip && cidrContainsSloppy(net, ip)).toBe(true);
    expect(cidrContainsSloppy('not a cidr', '10.0.0.1')).toBe(false);
  });
});
