import { describe, expect, it } from 'vitest';
import { canonicalRuleKey, kernelProbability } from './canonical.js';
import { parseIptables } from './parse.js';
import type { IptablesRule } from './types.js';

const rule = (text: string): IptablesRule => {
  const rs = parseIptables(`*nat\n${text}\nCOMMIT\n`);
  const r = [...(rs.tables.get('nat')?.chains.values() ?? [])].flatMap((c) => c.rules)[0];
  if (r === undefined) throw new Error(`no rule in ${text}`);
  return r;
};
const key = (text: string, family: 4 | 6 | null = null): string => canonicalRuleKey(rule(text), family);

// Pairs from KUBE-PROXY.md §3.13: what kube-proxy writes, what iptables-save prints back.
const samePairs: [string, string][] = [
  [
    '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
  ],
  [
    '-A KUBE-SVC-X -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-X ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
  ],
  ['-A KUBE-MARK-MASQ -j MARK --or-mark 0x004000', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'],
  ['-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000', '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0'],
  [
    '-A KUBE-SERVICES -m comment --comment x -j REJECT',
    '-A KUBE-SERVICES -m comment --comment "x" -j REJECT --reject-with icmp-port-unreachable',
  ],
  [
    '-A KUBE-SVC-X -m comment --comment "a -> b" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A',
    '-A KUBE-SVC-X -m comment --comment "a -> b" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A',
  ],
  [
    '-A KUBE-SVC-X -m comment --comment "a -> b" -m recent --name KUBE-SEP-A --rcheck --seconds 10800 --reap -j KUBE-SEP-A',
    '-A KUBE-SVC-X -m comment --comment "a -> b" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-A --mask 255.255.255.255 --rsource -j KUBE-SEP-A',
  ],
  [
    '-A KUBE-SEP-A -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-A --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
    '-A KUBE-SEP-A -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-A --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.3:80',
  ],
  ['-A X -p tcp --dport 80 -j ACCEPT', '-A X -p tcp -m tcp --dport 80 -j ACCEPT'],
  [
    '-A X -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A X -m conntrack ! --ctstate DNAT,ESTABLISHED,RELATED -j DROP',
  ],
  ['-A X -m mark ! --mark 0x004000/0x004000 -j RETURN', '-A X -m mark ! --mark 0x4000/0x4000 -j RETURN'],
  ['-A X -s fd00:0:0::1 -j ACCEPT', '-A X -s fd00::1/128 -j ACCEPT'],
  ['-A X -s 10.1.2.3/8 -j ACCEPT', '-A X -s 10.0.0.0/8 -j ACCEPT'],
  // Read back from a real kernel with iptables-save v1.8.9 (nf_tables):
  ['-A T -j MARK --set-mark 0x4000', '-A T -j MARK --set-xmark 0x4000/0xffffffff'],
  ['-A T -j MARK --set-mark 0x1/0xf000', '-A T -j MARK --set-xmark 0x1/0xf001'],
  ['-A T -j MARK --and-mark 0x4000', '-A T -j MARK --set-xmark 0x0/0xffffbfff'],
  ['-A T -j CONNMARK --set-mark 0x10', '-A T -j CONNMARK --set-xmark 0x10/0xffffffff'],
  [
    '-A T -m recent --rcheck --seconds 5 --reap --rdest',
    '-A T -m recent --rcheck --seconds 5 --reap --name DEFAULT --mask 255.255.255.255 --rdest',
  ],
  ['-A T -p tcp -m multiport --destination-ports 80,443', '-A T -p tcp -m multiport --dports 80,443'],
  [
    '-A T -p tcp --destination-port 80 -m state --state ESTABLISHED,NEW',
    '-A T -p tcp -m tcp --dport 80 -m state --state NEW,ESTABLISHED',
  ],
  ['-A T -s 10.1.2.3/255.255.0.0 -j RETURN', '-A T -s 10.1.0.0/16 -j RETURN'],
  ['-A T -p 6 -j RETURN', '-A T -p tcp -j RETURN'],
  ['-A T -p tcp --syn', '-A T -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN'],
  ['-A T -p tcp --tcp-flags ACK,SYN SYN', '-A T -p tcp -m tcp --tcp-flags SYN,ACK SYN'],
  [
    '-A T -m conntrack --ctstate ESTABLISHED,RELATED,DNAT',
    '-A T -m conntrack --ctstate RELATED,ESTABLISHED,DNAT',
  ],
];

describe('canonicalRuleKey', () => {
  it.each(samePairs)('%s ≡ %s', (written, saved) => {
    expect(key(written)).toBe(key(saved));
  });

  it('tells different rules apart', () => {
    expect(key('-A X -d 1.2.3.4 -j ACCEPT')).not.toBe(key('-A X -d 1.2.3.5 -j ACCEPT'));
    expect(key('-A X -d 1.2.3.4 -j ACCEPT')).not.toBe(key('-A Y -d 1.2.3.4 -j ACCEPT'));
    expect(key('-A X ! -s 10.0.0.0/8 -j ACCEPT')).not.toBe(key('-A X -s 10.0.0.0/8 -j ACCEPT'));
    expect(key('-A X -j KUBE-A')).not.toBe(key('-A X -g KUBE-A'));
    expect(key('-A X -m statistic --mode random --probability 0.5 -j A')).not.toBe(
      key('-A X -m statistic --mode random --probability 0.33333 -j A'),
    );
    expect(key('-A X -j MARK --or-mark 0x4000')).not.toBe(key('-A X -j MARK --xor-mark 0x4000'));
  });

  it('uses the IPv6 REJECT default for IPv6 rules', () => {
    expect(key('-A X -d fd00::1 -j REJECT')).toBe(
      key('-A X -d fd00::1/128 -j REJECT --reject-with icmp6-port-unreachable'),
    );
    expect(key('-A X -j REJECT', 6)).toBe(key('-A X -j REJECT --reject-with icmp6-port-unreachable', 6));
  });

  it('rounds probabilities to the kernel 32-bit fraction (values read back from a real kernel)', () => {
    const readBack: [number, number][] = [
      [0.3333333333, 0.33333333349],
      [0.33333, 0.33332999982],
      [0.0000099999, 0.00001000008],
      [0.1428571429, 0.14285714272],
      [0.9, 0.89999999991],
    ];
    for (const [written, saved] of readBack) {
      expect(kernelProbability(written)).toBe(kernelProbability(saved));
      expect((kernelProbability(written) / 2 ** 31).toFixed(11)).toBe(saved.toFixed(11));
    }
  });
});
