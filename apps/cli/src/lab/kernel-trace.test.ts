import type { TraceOutcome } from '@svcpath/core';
import { describe, expect, it } from 'vitest';
import { comparePaths, parseXtablesTrace, traceRule, tracerPath } from './kernel-trace.js';

// `xtables-monitor --trace` output for one connection to lab/web from the lab client
// (iptables 1.8.9, nf_tables backend), then the same trace id reused by another packet.
const MONITOR = String.raw`PACKET: 2 57f541f6 IN=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.96.100.10 LEN=60 TOS=0x0 TTL=64 ID=40910 DF SPORT=45399 DPORT=80 SYN 
 TRACE: 2 57f541f6 raw:PREROUTING:rule:0x2:CONTINUE  -4 -t raw -A PREROUTING -s 198.18.0.2/32 -d 10.96.100.10/32 -p tcp -m tcp --dport 80 -j TRACE
 TRACE: 2 57f541f6 raw:PREROUTING:policy:ACCEPT 
PACKET: 2 57f541f6 IN=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.96.100.10 LEN=60 TOS=0x0 TTL=64 ID=40910 DF SPORT=45399 DPORT=80 SYN 
 TRACE: 2 57f541f6 mangle:PREROUTING:policy:ACCEPT 
PACKET: 2 57f541f6 IN=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.96.100.10 LEN=60 TOS=0x0 TTL=64 ID=40910 DF SPORT=45399 DPORT=80 SYN 
 TRACE: 2 57f541f6 nat:PREROUTING:rule:0x26:JUMP:KUBE-SERVICES  -4 -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
 TRACE: 2 57f541f6 nat:KUBE-SERVICES:rule:0x5b:JUMP:KUBE-SVC-NAVV37HDGJLPWY47  -4 -t nat -A KUBE-SERVICES -d 10.96.100.10/32 -p tcp -m comment --comment "lab/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-NAVV37HDGJLPWY47
 TRACE: 2 57f541f6 nat:KUBE-SVC-NAVV37HDGJLPWY47:rule:0x71:JUMP:KUBE-MARK-MASQ  -4 -t nat -A KUBE-SVC-NAVV37HDGJLPWY47 ! -s 10.244.0.0/16 -d 10.96.100.10/32 -p tcp -m comment --comment "lab/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
 TRACE: 2 57f541f6 nat:KUBE-MARK-MASQ:rule:0x32:CONTINUE  -4 -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
 TRACE: 2 57f541f6 nat:KUBE-SVC-NAVV37HDGJLPWY47:rule:0x74:JUMP:KUBE-SEP-SJE24Y3P3INH2ETU  -4 -t nat -A KUBE-SVC-NAVV37HDGJLPWY47 -m comment --comment "lab/web:http -> 10.244.2.13:8080" -j KUBE-SEP-SJE24Y3P3INH2ETU
 TRACE: 2 57f541f6 nat:KUBE-SEP-SJE24Y3P3INH2ETU:rule:0x50:ACCEPT  -4 -t nat -A KUBE-SEP-SJE24Y3P3INH2ETU -p tcp -m comment --comment "lab/web:http" -m tcp -j DNAT --to-destination 10.244.2.13:8080
PACKET: 2 57f541f6 IN=to-client OUT=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.244.2.13 LEN=60 TOS=0x0 TTL=63 ID=40910 DF SPORT=45399 DPORT=8080 SYN MARK=0x4000 
 TRACE: 2 57f541f6 mangle:FORWARD:policy:ACCEPT 
PACKET: 2 57f541f6 IN=to-client OUT=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.244.2.13 LEN=60 TOS=0x0 TTL=63 ID=40910 DF SPORT=45399 DPORT=8080 SYN MARK=0x4000 
 TRACE: 2 57f541f6 filter:FORWARD:rule:0xf:JUMP:KUBE-PROXY-FIREWALL  -4 -t filter -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
 TRACE: 2 57f541f6 filter:FORWARD:rule:0x10:JUMP:KUBE-FORWARD  -4 -t filter -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
 TRACE: 2 57f541f6 filter:KUBE-FORWARD:rule:0x19:ACCEPT  -4 -t filter -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
PACKET: 2 57f541f6 IN=to-client OUT=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.244.2.13 LEN=60 TOS=0x0 TTL=63 ID=40910 DF SPORT=45399 DPORT=8080 SYN MARK=0x4000 
 TRACE: 2 57f541f6 mangle:POSTROUTING:policy:ACCEPT 
PACKET: 2 57f541f6 IN=to-client OUT=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.244.2.13 LEN=60 TOS=0x0 TTL=63 ID=40910 DF SPORT=45399 DPORT=8080 SYN MARK=0x4000 
 TRACE: 2 57f541f6 nat:POSTROUTING:rule:0x28:JUMP:KUBE-POSTROUTING  -4 -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
 TRACE: 2 57f541f6 nat:KUBE-POSTROUTING:rule:0x37:CONTINUE  -4 -t nat -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
 TRACE: 2 57f541f6 nat:KUBE-POSTROUTING:rule:0x38:ACCEPT  -4 -t nat -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
PACKET: 2 57f541f6 IN=to-client MACSRC=42:e5:ef:48:a3:12 MACDST=fa:f6:24:8d:85:8e MACPROTO=0800 SRC=198.18.0.2 DST=10.96.100.10 LEN=60 TOS=0x0 TTL=64 ID=1 DF SPORT=61001 DPORT=80 SYN 
 TRACE: 2 57f541f6 raw:PREROUTING:policy:ACCEPT 
 TRACE: 2 57f541f6 mangle:PREROUTING:policy:ACCEPT 
`;

const KERNEL_PATH = [
  'mangle PREROUTING policy ACCEPT',
  'nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  'nat -A KUBE-SERVICES -d 10.96.100.10/32 -p tcp -m comment --comment "lab/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-NAVV37HDGJLPWY47',
  'nat -A KUBE-SVC-NAVV37HDGJLPWY47 ! -s 10.244.0.0/16 -d 10.96.100.10/32 -p tcp -m comment --comment "lab/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
  'nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
  'nat -A KUBE-SVC-NAVV37HDGJLPWY47 -m comment --comment "lab/web:http -> 10.244.2.13:8080" -j KUBE-SEP-SJE24Y3P3INH2ETU',
  'nat -A KUBE-SEP-SJE24Y3P3INH2ETU -p tcp -m comment --comment "lab/web:http" -m tcp -j DNAT --to-destination 10.244.2.13:8080',
  'mangle FORWARD policy ACCEPT',
  'filter -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  'filter -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
  'filter -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  'mangle POSTROUTING policy ACCEPT',
  'nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
  'nat -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
  'nat -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
];

/** The tracer's outcome for the same packet, as steps `table chain rule text action`. */
function outcome(steps: string[]): TraceOutcome {
  return {
    probability: 1 / 3,
    verdict: 'ACCEPT',
    dnat: '10.244.2.13:8080',
    masquerade: true,
    assumptions: [],
    affinity: null,
    notes: [],
    path: steps.map((s) => {
      const [table = '', rest = ''] = s.split(/ (.*)/);
      const policy = / (\w+) policy (\w+)$/.exec(' ' + rest);
      return policy
        ? {
            table,
            chain: policy[1] ?? '',
            rule: null,
            text: `:${policy[1]} ${policy[2]}`,
            action: `policy ${policy[2]}`,
          }
        : { table, chain: rest.split(' ')[1] ?? '', rule: 1, text: rest, action: 'jump' };
    }),
  };
}

describe('kernel trace', () => {
  it('reads the path of each traced connection, leaving out the raw table', () => {
    const paths = parseXtablesTrace(MONITOR);
    expect(paths.get('198.18.0.2:45399')).toEqual(KERNEL_PATH);
    // The reused id belongs to the packet its last PACKET line announced.
    expect(paths.get('198.18.0.2:61001')).toEqual(['mangle PREROUTING policy ACCEPT']);
  });

  it('matches when one tracer outcome took the same rules in the same order', () => {
    expect(tracerPath(outcome(KERNEL_PATH))).toEqual(KERNEL_PATH);
    const check = comparePaths(KERNEL_PATH, [outcome(KERNEL_PATH.slice(0, 5)), outcome(KERNEL_PATH)]);
    expect(check).toMatchObject({ name: 'path', ok: true });
  });

  it('says where the paths part', () => {
    const swapped = [...KERNEL_PATH];
    swapped[5] = 'nat -A KUBE-SVC-NAVV37HDGJLPWY47 -j KUBE-SEP-OTHER';
    const check = comparePaths(KERNEL_PATH, [outcome(swapped)]);
    expect(check.ok).toBe(false);
    expect(check.detail).toBe(
      `differs at step 6: kernel ${KERNEL_PATH[5]} / tracer nat -A KUBE-SVC-NAVV37HDGJLPWY47 -j KUBE-SEP-OTHER`,
    );
    expect(comparePaths(undefined, [outcome(KERNEL_PATH)]).detail).toMatch(/no trace/);
    expect(comparePaths(KERNEL_PATH, []).detail).toMatch(/no tracer outcome/);
  });

  it('follows only the first packet of a TCP connection from one source port', () => {
    const packet = { src: '198.18.0.2', dst: '10.96.100.10', dport: 80, proto: 'tcp', sport: 61000 } as const;
    expect(traceRule('PREROUTING', packet)).toBe(
      '-A PREROUTING -s 198.18.0.2/32 -d 10.96.100.10/32 -p tcp -m tcp --sport 61000 --dport 80 --syn -j TRACE',
    );
    expect(traceRule('OUTPUT', { ...packet, proto: 'udp' })).not.toContain('--syn');
  });
});
