import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIPSloppy } from './ip-sloppy.js';
import {
  canonicalIp,
  cidrContains,
  cidrNetwork,
  formatCidr,
  formatIp,
  hostCidr,
  ipFromBytes,
  isCanonicalIPv4,
  joinHostPort,
  parseCidr,
  parseHostPort,
  parseIp,
  parseIpPort,
  sameIp,
} from './ip.js';

describe('parseIp and canonicalIp', () => {
  it('read dump spellings strictly', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp('[fd00::1]')).toEqual({ family: 6, value: (0xfd00n << 112n) | 1n });
    expect(parseIp(' 1.2.3.4 ')?.family).toBe(4);
    for (const s of ['010.0.0.1', '1.2.3', '256.1.1.1', '0x1.1.1.1', '1.2.3.4:80', '1::2::3', ''])
      expect(parseIp(s)).toBeNull();
    expect(canonicalIp('FD00:0::01')).toBe('fd00::1');
    expect(canonicalIp('not-an-ip')).toBe('not-an-ip');
  });
  it('parseCidr takes a bare address as a host route and dotted masks', () => {
    expect(parseCidr('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n, prefix: 32 });
    expect(parseCidr('10.0.0.0/255.0.0.0')?.prefix).toBe(8);
    expect(parseCidr('fd00::/129')).toBeNull();
    const net = parseCidr('10.1.2.3/8');
    const ip = parseIp('10.200.0.1');
    expect(net && ip && cidrContains(net, ip)).toBe(true);
    expect(net && cidrContains(net, { family: 6, value: 0x0a000001n })).toBe(false);
  });
});

describe('formatIp, formatCidr, cidrNetwork', () => {
  it('print what canonicalIp prints', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (s) => {
        const ip = parseIp(s);
        expect(ip).not.toBeNull();
        if (ip) expect(formatIp(ip)).toBe(canonicalIp(s));
      }),
    );
  });
  it('compress the leftmost longest zero run of two or more groups, as Go does', () => {
    const v6 = (s: string) => formatIp(parseIp(s) ?? { family: 4, value: 0n });
    expect(v6('1:0:0:2:0:0:3:4')).toBe('1::2:0:0:3:4');
    expect(v6('1:0:0:1:0:0:0:1')).toBe('1:0:0:1::1');
    expect(v6('1:2:3:4:5:6:7:0')).toBe('1:2:3:4:5:6:7:0');
    expect(v6('0:0:0:0:0:0:0:0')).toBe('::');
  });
  it('clear host bits and print network/prefix', () => {
    const c = parseCidr('10.1.2.3/8');
    expect(c && formatCidr(c)).toBe('10.1.2.3/8');
    expect(c && formatCidr(cidrNetwork(c))).toBe('10.0.0.0/8');
    const v6 = parseCidr('fd00::abcd/120');
    expect(v6 && formatCidr(cidrNetwork(v6))).toBe('fd00::ab00/120');
    const all = parseCidr('1.2.3.4/0');
    expect(all && formatCidr(cidrNetwork(all))).toBe('0.0.0.0/0');
  });
  it('hostCidr writes a host route of the family', () => {
    expect(hostCidr('10.0.0.1', 4)).toBe('10.0.0.1/32');
    expect(hostCidr('fd00::1', 6)).toBe('fd00::1/128');
  });
  it('ipFromBytes reads network order', () => {
    expect(ipFromBytes([10, 0, 0, 1])).toEqual({ family: 4, value: 0x0a000001n });
    expect(formatIp(ipFromBytes([0xfd, 0, ...new Array<number>(13).fill(0), 1]))).toBe('fd00::1');
  });
});

describe('joinHostPort and parseHostPort', () => {
  it('bracket IPv6 and split back', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('fd00::1', 443)).toBe('[fd00::1]:443');
    expect(parseHostPort('10.0.0.1:80')).toEqual({ host: '10.0.0.1', port: 80 });
    expect(parseHostPort('[fd00::1]:443')).toEqual({ host: 'fd00::1', port: 443 });
    expect(parseHostPort('[fd00::1]')).toEqual({ host: 'fd00::1', port: null });
    expect(parseHostPort('fd00::1')).toEqual({ host: 'fd00::1', port: null });
    expect(parseHostPort('10.0.0.1')).toEqual({ host: '10.0.0.1', port: null });
    // Lenient: an unclosed bracket or a bad port is passed on, not refused.
    expect(parseHostPort('[fd00::1')).toEqual({ host: 'fd00::1', port: null });
    expect(parseHostPort('[fd00::1]x')).toEqual({ host: 'fd00::1', port: null });
    expect(parseHostPort('10.0.0.1:')).toEqual({ host: '10.0.0.1', port: 0 });
    expect(parseHostPort('10.0.0.1:x').port).toBeNaN();
  });
  it('round-trip', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 65535 }), (ip, port) => {
        expect(parseHostPort(joinHostPort(ip, port))).toEqual({ host: ip, port });
      }),
    );
  });
});

describe('parseIpPort and sameIp', () => {
  it('read checked addresses with optional ports, canonical', () => {
    expect(parseIpPort('10.0.0.1:80')).toEqual({ address: '10.0.0.1', family: 4, port: 80 });
    expect(parseIpPort('10.0.0.1')).toEqual({ address: '10.0.0.1', family: 4, port: null });
    expect(parseIpPort('[FD00::01]:443')).toEqual({ address: 'fd00::1', family: 6, port: 443 });
    expect(parseIpPort('[fd00::1]')).toEqual({ address: 'fd00::1', family: 6, port: null });
    expect(parseIpPort('fd00::1')).toEqual({ address: 'fd00::1', family: 6, port: null });
    expect(parseIpPort('10.0.0.1:65535')?.port).toBe(65535);
    expect(parseIpPort('10.0.0.1:0')?.port).toBe(0);
  });
  it('refuse what parseHostPort lets through', () => {
    for (const s of [
      '[fd00::1',
      '[fd00::1]x',
      '[fd00::1]:',
      '10.0.0.1:',
      '10.0.0.1:x',
      '10.0.0.1:65536',
      '10.0.0.1:123456',
      '010.0.0.1:80',
      'host:80',
      '',
    ])
      expect(parseIpPort(s)).toBeNull();
  });
  it('agree with joinHostPort and canonicalIp', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 65535 }), (ip, port) => {
        const parsed = parseIpPort(joinHostPort(ip, port));
        expect(parsed).toEqual({ address: canonicalIp(ip), family: ip.includes(':') ? 6 : 4, port });
        expect(sameIp(parsed?.address ?? '', ip)).toBe(true);
      }),
    );
  });
  it('sameIp compares values, not spellings', () => {
    expect(sameIp('fd00::01', 'FD00:0::1')).toBe(true);
    expect(sameIp('10.0.0.1', '[10.0.0.1]')).toBe(true);
    expect(sameIp('10.0.0.1', '::ffff:10.0.0.1')).toBe(false);
    expect(sameIp('10.0.0.1', '10.0.0.2')).toBe(false);
    expect(sameIp('x', 'x')).toBe(false);
  });
});

/** What the slow path makes of `s` when it is an IPv4 address, else null. */
const slow = (s: string): string | null => {
  const ip = parseIPSloppy(s);
  return ip && ip.family === 4 ? formatIp(ip) : null;
};

describe('isCanonicalIPv4', () => {
  it('accepts canonical dotted quads and nothing the slow path would rewrite', () => {
    for (const s of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.10.1'])
      expect(isCanonicalIPv4(s)).toBe(true);
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
      expect(isCanonicalIPv4(s)).toBe(false);
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
          if (isCanonicalIPv4(s)) {
            expect(slow(s)).toBe(s);
            expect(canonicalIp(s)).toBe(s);
          } else if (slow(s) !== null) expect(slow(s)).not.toBe(s);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
