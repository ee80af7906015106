import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipsetMatches } from './ipset-match.js';
import { parseIpset } from './parse-ipset.js';

const saved = [
  'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536',
  'add KUBE-CLUSTER-IP 10.96.0.1,tcp:443',
  'add KUBE-CLUSTER-IP 10.96.0.10,udp:53',
  'create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536',
  'add KUBE-LOOP-BACK 10.244.1.5,tcp:8080,10.244.1.5',
  'create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536',
  'add KUBE-LOAD-BALANCER-SOURCE-CIDR 203.0.113.7,tcp:80,198.51.100.0/24',
  'create KUBE-NODE-PORT-TCP bitmap:port range 0-65535',
  'add KUBE-NODE-PORT-TCP 30080',
  'create KUBE-IPVS-IPS hash:ip family inet hashsize 1024 maxelem 65536',
  'add KUBE-IPVS-IPS 10.96.0.1 timeout 300',
  'create BLOCK hash:net family inet hashsize 1024 maxelem 65536 comment',
  'add BLOCK 192.0.2.0/24 comment "test net"',
  'add BLOCK 192.0.2.128/25 nomatch',
  'create KUBE-6-CLUSTER-IP hash:ip,port family inet6 hashsize 1024 maxelem 65536',
  'add KUBE-6-CLUSTER-IP fd00::1,tcp:443',
].join('\n');

const pkt = (src: string, dst: string, dport: number, proto = 'tcp', sport?: number) =>
  sport === undefined ? { src, dst, dport, proto } : { src, dst, dport, proto, sport };

describe('ipset save', () => {
  const state = parseIpset(saved);

  it('reads sets, options and members', () => {
    expect(state.issues).toEqual([]);
    expect([...state.sets.keys()]).toHaveLength(7);
    expect(state.sets.get('KUBE-NODE-PORT-TCP')).toMatchObject({
      type: 'bitmap:port',
      family: null,
      options: { range: '0-65535' },
    });
    expect(state.sets.get('KUBE-IPVS-IPS')?.entries[0]).toMatchObject({ text: '10.96.0.1', timeout: 300 });
    expect(state.sets.get('BLOCK')?.entries.map((e) => [e.comment, e.nomatch])).toEqual([
      ['test net', false],
      [null, true],
    ]);
    expect(state.sets.get('KUBE-6-CLUSTER-IP')?.family).toBe(6);
  });

  it('matches hash:ip,port with dst,dst and checks the protocol', () => {
    expect(ipsetMatches(state, 'KUBE-CLUSTER-IP', ['dst', 'dst'], pkt('10.0.0.5', '10.96.0.1', 443))).toBe(
      true,
    );
    expect(
      ipsetMatches(state, 'KUBE-CLUSTER-IP', ['dst', 'dst'], pkt('10.0.0.5', '10.96.0.1', 443, 'udp')),
    ).toBe(false);
    expect(
      ipsetMatches(state, 'KUBE-CLUSTER-IP', ['dst', 'dst'], pkt('10.0.0.5', '10.96.0.10', 53, 'udp')),
    ).toBe(true);
    // src,dst: the source address with the destination port (kube-proxy's VIP-sourced host traffic rule).
    expect(ipsetMatches(state, 'KUBE-CLUSTER-IP', ['src', 'dst'], pkt('10.96.0.1', '10.96.0.1', 443))).toBe(
      true,
    );
    expect(ipsetMatches(state, 'KUBE-CLUSTER-IP', ['dst'], pkt('10.0.0.5', '10.96.0.1', 443))).toBe(false);
  });

  it('matches hash:ip,port,ip (hairpin) and hash:ip,port,net (source ranges)', () => {
    expect(
      ipsetMatches(state, 'KUBE-LOOP-BACK', ['dst', 'dst', 'src'], pkt('10.244.1.5', '10.244.1.5', 8080)),
    ).toBe(true);
    expect(
      ipsetMatches(state, 'KUBE-LOOP-BACK', ['dst', 'dst', 'src'], pkt('10.244.1.6', '10.244.1.5', 8080)),
    ).toBe(false);
    expect(
      ipsetMatches(
        state,
        'KUBE-LOAD-BALANCER-SOURCE-CIDR',
        ['dst', 'dst', 'src'],
        pkt('198.51.100.9', '203.0.113.7', 80),
      ),
    ).toBe(true);
    expect(
      ipsetMatches(
        state,
        'KUBE-LOAD-BALANCER-SOURCE-CIDR',
        ['dst', 'dst', 'src'],
        pkt('198.51.101.9', '203.0.113.7', 80),
      ),
    ).toBe(false);
  });

  it('matches bitmap:port, hash:ip, hash:net with nomatch, IPv6, and unknown sets', () => {
    expect(ipsetMatches(state, 'KUBE-NODE-PORT-TCP', ['dst'], pkt('1.1.1.1', '192.168.0.10', 30080))).toBe(
      true,
    );
    expect(ipsetMatches(state, 'KUBE-NODE-PORT-TCP', ['src'], pkt('1.1.1.1', '192.168.0.10', 30080))).toBe(
      false,
    );
    expect(
      ipsetMatches(state, 'KUBE-NODE-PORT-TCP', ['src'], pkt('1.1.1.1', '192.168.0.10', 80, 'tcp', 30080)),
    ).toBe(true);
    expect(ipsetMatches(state, 'KUBE-IPVS-IPS', ['dst'], pkt('1.1.1.1', '10.96.0.1', 22))).toBe(true);
    expect(ipsetMatches(state, 'BLOCK', ['src'], pkt('192.0.2.1', '10.0.0.1', 22))).toBe(true);
    expect(ipsetMatches(state, 'BLOCK', ['src'], pkt('192.0.2.200', '10.0.0.1', 22))).toBe(false);
    expect(ipsetMatches(state, 'KUBE-6-CLUSTER-IP', ['dst', 'dst'], pkt('fd00::9', 'fd00::1', 443))).toBe(
      true,
    );
    expect(ipsetMatches(state, 'KUBE-6-CLUSTER-IP', ['dst', 'dst'], pkt('10.0.0.1', '10.96.0.1', 443))).toBe(
      false,
    );
    expect(ipsetMatches(state, 'NOPE', ['dst'], pkt('1.1.1.1', '10.96.0.1', 22))).toBe('unknown-set');
  });
});

describe('ipset list', () => {
  const listed = [
    'Name: KUBE-CLUSTER-IP',
    'Type: hash:ip,port',
    'Revision: 5',
    'Header: family inet hashsize 1024 maxelem 65536',
    'Size in memory: 456',
    'References: 2',
    'Number of entries: 2',
    'Members:',
    '10.96.0.1,tcp:443',
    '10.96.0.10,udp:53',
    '',
    'Name: KUBE-NODE-PORT-UDP',
    'Type: bitmap:port',
    'Revision: 3',
    'Header: range 0-65535',
    'Size in memory: 8264',
    'References: 1',
    'Number of entries: 1',
    'Members:',
    '31000',
  ].join('\n');

  it('reads the same sets as the save form', () => {
    const state = parseIpset(listed);
    expect(state.issues).toEqual([]);
    expect(state.format).toBe('list');
    expect(state.sets.get('KUBE-CLUSTER-IP')?.entries.map((e) => e.text)).toEqual([
      '10.96.0.1,tcp:443',
      '10.96.0.10,udp:53',
    ]);
    expect(
      ipsetMatches(state, 'KUBE-NODE-PORT-UDP', ['dst'], pkt('1.1.1.1', '192.168.0.10', 31000, 'udp')),
    ).toBe(true);
  });
});

describe('ipset errors', () => {
  it('reports members of unknown sets with their line', () => {
    const state = parseIpset('create A hash:ip\nadd B 10.0.0.1\nbogus line\n');
    expect(state.issues.map((i) => [i.severity, i.line])).toEqual([
      ['error', 2],
      ['error', 3],
    ]);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const state = parseIpset(text);
        for (const i of state.issues) expect(i.line === null || i.line >= 1).toBe(true);
        for (const name of state.sets.keys())
          ipsetMatches(state, name, ['dst', 'dst', 'src'], pkt('10.0.0.1', '10.0.0.2', 80));
      }),
      { numRuns: 500 },
    );
  });
});
