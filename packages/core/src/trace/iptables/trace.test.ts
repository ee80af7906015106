import { describe, expect, it } from 'vitest';
import { parseIptables } from '../../iptables/parse.js';
import type { TracePacket } from '../types.js';
import { traceIptables } from './trace.js';

const node = { localAddresses: ['192.168.0.2'] };
const pkt = (over: Partial<TracePacket> = {}): TracePacket => ({
  src: '10.1.0.5',
  dst: '10.96.0.10',
  dport: 53,
  proto: 'udp',
  ...over,
});
const save = (nat: string, filter = ''): string =>
  `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${filter}COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${nat}COMMIT\n`;

describe('traceIptables', () => {
  it('splits statistic branches so that every endpoint gets 1/n', () => {
    const rs = parseIptables(
      save(`:SVC - [0:0]
-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j SVC
-A SVC -m statistic --mode random --probability 0.33333333349 -j DNAT --to-destination 10.32.0.2:53
-A SVC -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.32.0.3:53
-A SVC -j DNAT --to-destination 10.32.0.4:53
`),
    );
    const r = traceIptables(rs, pkt(), node);
    expect(r.outcomes.map((o) => o.dnat)).toEqual(['10.32.0.2:53', '10.32.0.3:53', '10.32.0.4:53']);
    for (const o of r.outcomes) expect(o.probability).toBeCloseTo(1 / 3, 8);
    expect(r.packet.startHook).toBe('PREROUTING');
  });

  it('returns from a goto to the caller of the calling chain', () => {
    const rs = parseIptables(
      save(`:A - [0:0]
:B - [0:0]
-A PREROUTING -j A
-A PREROUTING -j DNAT --to-destination 10.0.0.9:1
-A A -g B
-A A -j DNAT --to-destination 10.0.0.8:1
-A B -j RETURN
`),
    );
    const [o] = traceIptables(rs, pkt(), node).outcomes;
    // B returns to PREROUTING (A's caller), so A's DNAT is never reached.
    expect(o?.dnat).toBe('10.0.0.9:1');
    expect(o?.path.map((s) => s.action)).toContain('goto B');
  });

  it('tracks marks and masquerades in POSTROUTING only when the mark is set', () => {
    const nat = `:MARK-MASQ - [0:0]
:POST - [0:0]
-A PREROUTING ! -s 10.0.0.0/8 -j MARK-MASQ
-A PREROUTING -j DNAT --to-destination 10.32.0.2:53
-A POSTROUTING -j POST
-A MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A POST -m mark ! --mark 0x4000/0x4000 -j RETURN
-A POST -j MARK --set-xmark 0x4000/0x0
-A POST -j MASQUERADE
`;
    const rs = parseIptables(save(nat));
    expect(traceIptables(rs, pkt({ src: '10.1.0.5' }), node).outcomes[0]?.masquerade).toBe(false);
    expect(traceIptables(rs, pkt({ src: '172.16.0.1' }), node).outcomes[0]?.masquerade).toBe(true);
  });

  it('starts at OUTPUT for a node address and loops local destinations back through INPUT', () => {
    const rs = parseIptables(save('', '-A INPUT -p tcp -m tcp --dport 22 -j DROP\n'));
    const r = traceIptables(
      rs,
      pkt({ src: '192.168.0.2', dst: '192.168.0.2', dport: 22, proto: 'tcp' }),
      node,
    );
    expect(r.packet.startHook).toBe('OUTPUT');
    expect(r.outcomes).toHaveLength(1);
    expect(r.outcomes[0]?.verdict).toBe('DROP');
    expect(r.outcomes[0]?.path.at(-1)?.chain).toBe('INPUT');
  });

  it('applies a DROP policy and shows it as a step with no rule number', () => {
    const rs = parseIptables(save('').replace(':FORWARD ACCEPT', ':FORWARD DROP'));
    const [o] = traceIptables(rs, pkt(), node).outcomes;
    expect(o?.verdict).toBe('DROP');
    expect(o?.path.at(-1)).toMatchObject({
      table: 'filter',
      chain: 'FORWARD',
      rule: null,
      action: 'policy DROP',
    });
  });

  it('reports an interface match it cannot decide as two assumed branches', () => {
    const rs = parseIptables(save('', '-A FORWARD -i cni0 -j DROP\n'));
    const r = traceIptables(rs, pkt(), node);
    expect(r.outcomes.map((o) => [o.verdict, o.assumptions[0]?.assumed])).toEqual([
      ['DROP', 'matched'],
      ['ACCEPT', 'not matched'],
    ]);
    // With the interface given, it is decided.
    const known = traceIptables(rs, pkt({ inInterface: 'eth0' }), node);
    expect(known.outcomes).toHaveLength(1);
    expect(known.outcomes[0]?.assumptions).toEqual([]);
  });

  it('treats unknown modules as explicit unknown branches, never as silent guesses', () => {
    const rs = parseIptables(save('', '-A FORWARD -m bpf --object-pinned /sys/fs/bpf/x -j REJECT\n'));
    const r = traceIptables(rs, pkt(), node);
    expect(r.outcomes).toHaveLength(2);
    expect(r.outcomes[0]?.assumptions[0]?.match).toContain('bpf');
  });

  it('stops a jump loop with a warning instead of recursing forever', () => {
    const rs = parseIptables(save(':L - [0:0]\n-A PREROUTING -j L\n-A L -j L\n'));
    const r = traceIptables(rs, pkt(), node);
    expect(r.warnings.join(' ')).toMatch(/loop/);
    expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
  });

  it("adds kube-proxy's jumps with a warning when a dump lacks them", () => {
    const rs = parseIptables(`*nat
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.32.0.2:53
COMMIT
`);
    const r = traceIptables(rs, pkt(), node);
    expect(r.outcomes[0]?.dnat).toBe('10.32.0.2:53');
    expect(r.warnings[0]).toMatch(/traced as if they were there/);
  });

  it('notes session affinity when a recent --set runs after an --rcheck of the same list', () => {
    const rs = parseIptables(
      save(`:SVC - [0:0]
:SEP - [0:0]
-A PREROUTING -j SVC
-A SVC -m recent --rcheck --seconds 10800 --reap --name SEP --mask 255.255.255.255 --rsource -j SEP
-A SVC -j SEP
-A SEP -p udp -m recent --set --name SEP --mask 255.255.255.255 --rsource -m udp -j DNAT --to-destination 10.32.0.2:53
`),
    );
    const [o] = traceIptables(rs, pkt(), node).outcomes;
    expect(o?.affinity).toEqual({ timeoutSeconds: 10800, key: 'SEP' });
  });

  it('hands local virtual addresses to IPVS after INPUT and masquerades by mark in POSTROUTING', () => {
    const rs = parseIptables(save(''));
    const r = traceIptables(
      rs,
      pkt({ dst: '10.96.0.10' }),
      { localAddresses: ['192.168.0.2', '10.96.0.10'] },
      {
        ipvs: () => ({
          label: 'UDP 10.96.0.10:53 rr',
          choices: [
            { address: '10.32.0.2', port: 53, probability: 0.5 },
            { address: '10.32.0.3', port: 53, probability: 0.5 },
          ],
          persistenceSeconds: null,
          explanation: 'round robin',
        }),
      },
    );
    expect(r.outcomes.map((o) => [o.dnat, o.probability])).toEqual([
      ['10.32.0.2:53', 0.5],
      ['10.32.0.3:53', 0.5],
    ]);
  });

  it('refuses the connection when IPVS has no usable real server', () => {
    const rs = parseIptables(save(''));
    const r = traceIptables(
      rs,
      pkt({ dst: '10.96.0.10' }),
      { localAddresses: ['192.168.0.2', '10.96.0.10'] },
      {
        ipvs: () => ({
          label: 'UDP 10.96.0.10:53 sh',
          choices: [{ address: '10.32.0.2', port: 53, probability: 0.75 }],
          persistenceSeconds: null,
          explanation: 'source hash',
        }),
      },
    );
    expect(r.outcomes.map((o) => [o.verdict, o.dnat, o.probability])).toEqual([
      ['ACCEPT', '10.32.0.2:53', 0.75],
      ['REJECT', null, 0.25],
    ]);
  });
});
