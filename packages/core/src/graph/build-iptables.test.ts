import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { parseIptables } from '../iptables/parse.js';
import { buildIptablesGraph } from './build-iptables.js';
import { effectiveShares } from './probability.js';
import type { GraphResult, ServiceGraph } from './types.js';

const dumpsDir = sharedPath('dumps');
const conformance = sharedPath('conformance');
const dump = (prefix: string): string => {
  const f = readdirSync(dumpsDir ?? '').find((n) => n.startsWith(prefix));
  return readFileSync(join(dumpsDir ?? '', f ?? ''), 'utf8');
};
const service = (g: GraphResult, spn: string, protocol = 'tcp'): ServiceGraph => {
  const s = g.services.find((x) => x.service === spn && x.protocol === protocol);
  if (s === undefined)
    throw new Error(`no ${spn}/${protocol} in ${g.services.map((x) => x.service).join(', ')}`);
  return s;
};
const endpoints = (s: ServiceGraph): [string, number][] =>
  s.endpoints.map((e) => [e.address, Number(e.probability.toFixed(9))]);

describe('effectiveShares', () => {
  it('turns conditional probabilities into uniform shares', () => {
    expect(effectiveShares([1 / 3, 1 / 2, null]).map((p) => p.toFixed(12))).toEqual([
      '0.333333333333',
      '0.333333333333',
      '0.333333333333',
    ]);
    expect(effectiveShares([0.25, null])).toEqual([0.25, 0.75]);
    expect(effectiveShares([])).toEqual([]);
  });
});

describe.skipIf(!dumpsDir)('buildIptablesGraph on real dumps', () => {
  it('dump 19: a multi-port Service with 3 endpoints at 1/3 each', () => {
    const g = buildIptablesGraph(parseIptables(dump('19-')));
    for (const [port, target] of [
      ['downloader', 3000],
      ['fileserver', 8080],
    ] as const) {
      const s = service(g, `default/service1:${port}`);
      expect(s.entries).toEqual([
        expect.objectContaining({ kind: 'clusterIP', ip: '10.108.64.11', port: target }),
      ]);
      expect(s.endpoints.map((e) => e.address)).toEqual([
        `10.244.1.4:${target}`,
        `10.244.1.5:${target}`,
        `10.244.1.6:${target}`,
      ]);
      for (const e of s.endpoints) expect(e.probability).toBeCloseTo(1 / 3, 8);
      expect(s.endpoints.reduce((a, e) => a + e.probability, 0)).toBeCloseTo(1, 9);
      // Conditional probabilities on the edges, as iptables-nft prints them.
      const fromSvc = s.edges.filter(
        (e) => e.from === `chain:nat:${s.chain}` && e.to.startsWith('chain:nat:KUBE-SEP-'),
      );
      expect(fromSvc.map((e) => e.probability)).toEqual([0.33333333349, 0.5, 1]);
      expect(s.nodes.find((n) => n.id === `chain:nat:${s.chain}`)?.masquerade).toBe(true);
      expect(s.warnings).toEqual([]);
    }
    const dns = service(g, 'kube-system/kube-dns:dns', 'udp');
    expect(endpoints(dns)).toEqual([
      ['10.244.0.4:53', 0.5],
      ['10.244.0.5:53', 0.5],
    ]);
  });

  it('dump 02: Services without endpoints end in REJECT, rules carry packet counters', () => {
    const g = buildIptablesGraph(parseIptables(dump('02-')));
    const dns = service(g, 'kube-system/kube-dns:dns', 'udp');
    expect(dns.chain).toBeNull();
    expect(dns.endpoints).toEqual([]);
    expect(dns.entries).toEqual([
      expect.objectContaining({ kind: 'clusterIP', ip: '10.43.0.10', port: 53, target: 'REJECT' }),
    ]);
    expect(dns.nodes.some((n) => n.kind === 'reject')).toBe(true);
    expect(dns.entries[0]?.rule?.packets).toBe(0);
    const api = service(g, 'default/kubernetes:https');
    expect(endpoints(api)).toEqual([['10.0.20.5:6443', 1]]);
    expect(api.edges.every((e) => e.rule === null || typeof e.rule.packets === 'number')).toBe(true);
  });

  it('dump 07: external IPs and node ports go through KUBE-EXT chains that masquerade', () => {
    const g = buildIptablesGraph(parseIptables(dump('07-')));
    const web = service(g, 'kube-system/traefik:web');
    expect(web.entries.map((e) => [e.kind, e.ip, e.port, e.target])).toEqual([
      ['clusterIP', '10.43.85.149', 80, 'KUBE-SVC-UQMCRMJZLI3FTLDP'],
      ['externalIP', '100.90.167.160', 80, 'KUBE-EXT-UQMCRMJZLI3FTLDP'],
    ]);
    expect(web.nodes.find((n) => n.label === 'KUBE-EXT-UQMCRMJZLI3FTLDP')).toMatchObject({
      kind: 'external',
      masquerade: true,
    });
    const dlna = service(g, 'default/tuby-dlna:dlna-udp', 'udp');
    expect(dlna.entries.find((e) => e.kind === 'nodePort')).toMatchObject({ ip: null, port: 32197 });
    expect(endpoints(dlna)).toEqual([['192.168.1.105:1900', 1]]);
    expect(service(g, 'default/registry').entries.map((e) => e.kind)).toEqual(['clusterIP', 'nodePort']);
  });

  it('dump 15: garbled DNAT targets become warnings, not endpoints', () => {
    const g = buildIptablesGraph(parseIptables(dump('15-')));
    const api = service(g, 'default/kubernetes:https');
    expect(api.endpoints).toEqual([]);
    expect(api.warnings.join('\n')).toMatch(/unreadable DNAT target/);
  });

  it('runs on every dump without throwing', () => {
    for (const f of readdirSync(dumpsDir ?? '').filter((n) => n.endsWith('.txt'))) {
      const g = buildIptablesGraph(parseIptables(readFileSync(join(dumpsDir ?? '', f), 'utf8')));
      for (const s of g.services) {
        const total = s.endpoints.reduce((a, e) => a + e.probability, 0);
        if (s.endpoints.length > 0 && s.chain !== null) expect(total, `${f} ${s.service}`).toBeCloseTo(1, 9);
        for (const e of s.edges) {
          expect(s.nodes.some((n) => n.id === e.from)).toBe(true);
          expect(s.nodes.some((n) => n.id === e.to)).toBe(true);
        }
      }
    }
  });
});

describe.skipIf(!conformance)('buildIptablesGraph on kube-proxy TestOverallIPTablesRules', () => {
  const text = (
    JSON.parse(readFileSync(join(conformance ?? '', 'ipt_TestOverallIPTablesRules.json'), 'utf8')) as {
      expectedIptablesSave: string;
    }
  ).expectedIptablesSave;
  const g = buildIptablesGraph(parseIptables(text));

  it('finds every Service port with its entries', () => {
    expect(g.services.map((s) => s.service)).toEqual([
      'ns1/svc1:p80',
      'ns2/svc2:p80',
      'ns3/svc3:p80',
      'ns4/svc4:p80',
      'ns5/svc5:p80',
      'ns6/svc6:p80',
    ]);
    expect(service(g, 'ns2/svc2:p80').entries.map((e) => [e.kind, e.ip, e.port])).toEqual([
      ['clusterIP', '172.30.0.42', 80],
      ['externalIP', '192.168.99.22', 80],
      ['loadBalancer', '1.2.3.4', 80],
      ['nodePort', null, 3001],
    ]);
    expect(endpoints(service(g, 'ns4/svc4:p80'))).toEqual([
      ['10.180.0.4:80', 0.5],
      ['10.180.0.5:80', 0.5],
    ]);
    const svc6 = service(g, 'ns6/svc6:p80');
    expect(svc6.entries).toEqual([
      expect.objectContaining({ kind: 'clusterIP', ip: '172.30.0.46', port: 80, target: 'REJECT' }),
    ]);
  });

  it('svc2 (eTP Local, no local endpoint): external traffic not short-circuited is dropped in filter', () => {
    const s = service(g, 'ns2/svc2:p80');
    const ext = 'chain:nat:KUBE-EXT-GNZBNJ2PO5MGZ6GT';
    const drops = s.edges.filter(
      (e) => e.from === ext && e.to.startsWith('verdict:filter:KUBE-EXTERNAL-SERVICES'),
    );
    expect(drops).toHaveLength(3);
    const shortCircuit = s.edges.filter(
      (e) => e.from === ext && e.to === 'chain:nat:KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    );
    expect(shortCircuit.map((e) => e.condition)).toEqual(['-s 10.0.0.0/8', '-m addrtype --src-type LOCAL']);
    expect(s.nodes.find((n) => n.id === ext)?.masquerade).toBe(true);
  });

  it('svc5: load balancer through KUBE-FW, session affinity, firewall drop', () => {
    const s = service(g, 'ns5/svc5:p80');
    expect(s.entries.find((e) => e.kind === 'loadBalancer')?.target).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C');
    expect(s.nodes.find((n) => n.kind === 'service')?.affinitySeconds).toBe(10800);
    const fw = 'chain:nat:KUBE-FW-NUKIZ6OKUXPJNT4C';
    expect(
      s.edges.find((e) => e.from === fw && e.to === 'chain:nat:KUBE-EXT-NUKIZ6OKUXPJNT4C')?.condition,
    ).toBe('-s 203.0.113.0/25');
    expect(s.edges.some((e) => e.from === fw && e.to === 'verdict:filter:KUBE-PROXY-FIREWALL:1')).toBe(true);
    expect(endpoints(s)).toEqual([['10.180.0.3:80', 1]]);
    // The affinity edge is only for returning clients.
    expect(
      s.edges.filter((e) => e.to === 'chain:nat:KUBE-SEP-I77PXRDZVX7PMWMN').map((e) => e.probability),
    ).toEqual([0, 1]);
  });

  it('selects one Service or one Service port', () => {
    expect(
      buildIptablesGraph(parseIptables(text), { service: 'ns4/svc4' }).services.map((s) => s.service),
    ).toEqual(['ns4/svc4:p80']);
    expect(buildIptablesGraph(parseIptables(text), { service: 'ns4/svc4:p80' }).services).toHaveLength(1);
    expect(buildIptablesGraph(parseIptables(text), { service: 'ns4/svc4:p81' }).services).toHaveLength(0);
  });
});

describe('buildIptablesGraph on old layouts and broken input', () => {
  it('reads the ≤1.23 layout: masquerade in KUBE-SERVICES, XLB chains, 5-digit probabilities, plain SEP-jump comments', () => {
    const text = [
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-SVC-AAAA - [0:0]',
      ':KUBE-XLB-AAAA - [0:0]',
      ':KUBE-SEP-1 - [0:0]',
      ':KUBE-SEP-2 - [0:0]',
      ':KUBE-SEP-3 - [0:0]',
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "ns/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "ns/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-AAAA',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "ns/web:http" -m tcp --dport 30080 -j KUBE-XLB-AAAA',
      '-A KUBE-SVC-AAAA -m comment --comment "ns/web:http" -m statistic --mode random --probability 0.33332999982 -j KUBE-SEP-1',
      '-A KUBE-SVC-AAAA -m comment --comment "ns/web:http" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-2',
      '-A KUBE-SVC-AAAA -m comment --comment "ns/web:http" -j KUBE-SEP-3',
      '-A KUBE-XLB-AAAA -s 10.244.0.0/16 -m comment --comment "Redirect pods trying to reach external loadbalancer VIP to clusterIP" -j KUBE-SVC-AAAA',
      '-A KUBE-XLB-AAAA -m comment --comment "masquerade LOCAL traffic for ns/web:http LB IP" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-XLB-AAAA -m comment --comment "Balancing rule 0 for ns/web:http" -j KUBE-SEP-3',
      '-A KUBE-SEP-1 -s 10.244.1.1/32 -m comment --comment "ns/web:http" -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-1 -p tcp -m comment --comment "ns/web:http" -m tcp -j DNAT --to-destination 10.244.1.1:8080',
      '-A KUBE-SEP-2 -p tcp -m comment --comment "ns/web:http" -m tcp -j DNAT --to-destination 10.244.1.2:8080',
      '-A KUBE-SEP-3 -p tcp -m comment --comment "ns/web:http" -m tcp -j DNAT --to-destination 10.244.2.3:8080',
      'COMMIT',
    ].join('\n');
    const g = buildIptablesGraph(parseIptables(text));
    expect(g.services).toHaveLength(1);
    const s = service(g, 'ns/web:http');
    expect(s.entries.map((e) => [e.kind, e.port, e.target])).toEqual([
      ['clusterIP', 80, 'KUBE-SVC-AAAA'],
      ['nodePort', 30080, 'KUBE-XLB-AAAA'],
    ]);
    expect(s.nodes.find((n) => n.id === 'chain:nat:KUBE-SERVICES')?.masquerade).toBe(true);
    expect(s.nodes.find((n) => n.id === 'chain:nat:KUBE-XLB-AAAA')).toMatchObject({
      kind: 'local',
      masquerade: true,
    });
    expect(s.endpoints.map((e) => e.address)).toEqual([
      '10.244.1.1:8080',
      '10.244.1.2:8080',
      '10.244.2.3:8080',
    ]);
    for (const e of s.endpoints) expect(e.probability).toBeCloseTo(1 / 3, 4);
    expect(s.warnings).toEqual([]);
  });

  it('warns about chains that are referenced but missing, and still reads the endpoint from the comment', () => {
    const text = [
      '# Generated by iptables-save v1.8.9 on Sun Nov 22 12:00:00 2026',
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-BBBB - [0:0]',
      '-A KUBE-SERVICES -d 10.96.0.30/32 -p tcp -m comment --comment "ns/api cluster IP" -m tcp --dport 443 -j KUBE-SVC-BBBB',
      '-A KUBE-SVC-BBBB -m comment --comment "ns/api -> 10.244.0.9:6443" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-GONE',
      '-A KUBE-SVC-BBBB -m comment --comment "ns/api -> 10.244.0.10:6443" -j KUBE-SEP-HERE',
      '-A KUBE-SEP-HERE -m comment --comment ns/api -m tcp -p tcp -j DNAT --to-destination 10.244.0.10:6443',
      '-A KUBE-SERVICES -d 10.96.0.31/32 -p tcp -m comment --comment "ns/other cluster IP" -m tcp --dport 80 -j KUBE-SVC-MISSING',
      'COMMIT',
    ].join('\n');
    const g = buildIptablesGraph(parseIptables(text));
    const api = service(g, 'ns/api');
    expect(api.warnings).toEqual(['chain KUBE-SEP-GONE is referenced but missing from the nat table']);
    expect(endpoints(api)).toEqual([
      ['10.244.0.9:6443', 0.5],
      ['10.244.0.10:6443', 0.5],
    ]);
    const other = service(g, 'ns/other');
    expect(other.warnings).toEqual(['chain KUBE-SVC-MISSING is referenced but missing from the nat table']);
    expect(other.endpoints).toEqual([]);
    // In kube-proxy's own restore input that is normal: a partial sync writes only changed chains.
    const partial = service(
      buildIptablesGraph(parseIptables(text.split('\n').slice(1).join('\n'))),
      'ns/other',
    );
    expect(partial.warnings[0]).toMatch(/not in this restore input \(a partial sync/);
  });

  it('takes endpoint shares from KUBE-SVL when the cluster IP uses it (internalTrafficPolicy Local)', () => {
    const text = [
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-SVC-DDDD - [0:0]',
      ':KUBE-SVL-DDDD - [0:0]',
      ':KUBE-EXT-DDDD - [0:0]',
      ':KUBE-SEP-LOCAL - [0:0]',
      ':KUBE-SEP-REMOTE - [0:0]',
      '-A KUBE-SERVICES -m comment --comment "ns/loc:p cluster IP" -m tcp -p tcp -d 172.30.0.50 --dport 80 -j KUBE-SVL-DDDD',
      '-A KUBE-NODEPORTS -m comment --comment ns/loc:p -m tcp -p tcp --dport 30050 -j KUBE-EXT-DDDD',
      '-A KUBE-EXT-DDDD -m comment --comment "masquerade traffic for ns/loc:p external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-DDDD -j KUBE-SVC-DDDD',
      '-A KUBE-SVC-DDDD -m comment --comment "ns/loc:p -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LOCAL',
      '-A KUBE-SVC-DDDD -m comment --comment "ns/loc:p -> 10.180.1.1:80" -j KUBE-SEP-REMOTE',
      '-A KUBE-SVL-DDDD -m comment --comment "ns/loc:p cluster IP" -m tcp -p tcp -d 172.30.0.50 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVL-DDDD -m comment --comment "ns/loc:p -> 10.180.0.1:80" -j KUBE-SEP-LOCAL',
      '-A KUBE-SEP-LOCAL -m comment --comment ns/loc:p -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
      '-A KUBE-SEP-REMOTE -m comment --comment ns/loc:p -m tcp -p tcp -j DNAT --to-destination 10.180.1.1:80',
      'COMMIT',
    ].join('\n');
    const s = service(buildIptablesGraph(parseIptables(text)), 'ns/loc:p');
    expect(s.chain).toBe('KUBE-SVC-DDDD');
    expect(s.nodes.find((n) => n.label === 'KUBE-SVL-DDDD')).toMatchObject({
      kind: 'local',
      masquerade: true,
    });
    // From the cluster IP only the local endpoint is reachable; node-port traffic reaches both.
    expect(endpoints(s)).toEqual([
      ['10.180.0.1:80', 1],
      ['10.180.1.1:80', 0],
    ]);
    expect(s.edges.filter((e) => e.from === 'chain:nat:KUBE-SVC-DDDD').map((e) => e.probability)).toEqual([
      0.5, 1,
    ]);
  });

  it('reads IPv6 rules and iptables -t nat -S output', () => {
    const text = [
      '-P PREROUTING ACCEPT',
      '-N KUBE-SERVICES',
      '-N KUBE-SVC-CCCC',
      '-N KUBE-SEP-V6A',
      '-N KUBE-SEP-V6B',
      '-A KUBE-SERVICES -d fd00:10::a/128 -p udp -m comment --comment "ns/dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-CCCC',
      '-A KUBE-SVC-CCCC -m comment --comment "ns/dns:dns -> [fd00:20::5]:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-V6A',
      '-A KUBE-SVC-CCCC -m comment --comment "ns/dns:dns -> [fd00:20::6]:53" -j KUBE-SEP-V6B',
      '-A KUBE-SEP-V6A -p udp -m comment --comment "ns/dns:dns" -m udp -j DNAT --to-destination [fd00:20::5]:53',
      '-A KUBE-SEP-V6B -p udp -m comment --comment "ns/dns:dns" -m udp -j DNAT --to-destination [fd00:20::6]:53',
    ].join('\n');
    const rs = parseIptables(text, { table: 'nat' });
    expect(rs.family).toBe(6);
    const s = service(buildIptablesGraph(rs), 'ns/dns:dns', 'udp');
    expect(s.entries).toEqual([expect.objectContaining({ kind: 'clusterIP', ip: 'fd00:10::a', port: 53 })]);
    expect(endpoints(s)).toEqual([
      ['[fd00:20::5]:53', 0.5],
      ['[fd00:20::6]:53', 0.5],
    ]);
  });

  it('gives an empty graph for an empty or non-iptables ruleset', () => {
    expect(buildIptablesGraph(parseIptables(''))).toEqual({ services: [] });
    expect(buildIptablesGraph(parseIptables('table ip kube-proxy {\n}\n'))).toEqual({ services: [] });
  });
});
