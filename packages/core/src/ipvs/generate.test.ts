// Generated IPVS-mode state. IPVS is not available in the kernel these tests run on (no ip_vs
// module), so nothing is loaded for real: the output is checked by re-parsing it with svcpath's
// own parsers and against kube-proxy's behaviour as KUBE-PROXY.md §5 describes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { parseIptables } from '../iptables/parse.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import { formatIpvsadmSave } from './format-ipvsadm.js';
import { generateIpvs } from './generate.js';
import { buildIpvsGraph } from './graph.js';
import { ipsetMatches } from './ipset-match.js';
import { ipvsLookup } from './lookup.js';
import { parseIpset } from './parse-ipset.js';
import { parseIpvsadm } from './parse-ipvsadm.js';
import type { VirtualService } from './types.js';

const settings: ProxySettings = {
  mode: 'ipvs',
  nodeName: 'node-a',
  nodeIPs: ['192.168.0.10'],
  clusterCIDRs: ['10.244.0.0/16'],
  detectLocalMode: 'ClusterCIDR',
  nodePodCIDRs: [],
  masqueradeAll: false,
  masqueradeBit: 14,
  localhostNodePorts: true,
  nodePortAddresses: [],
  ipvsScheduler: 'rr',
  serviceCIDRs: [],
  featureGates: {},
};

function service(name: string, spec: Service['spec'], status?: Service['status']): Service {
  return { metadata: { name, namespace: 'default' }, spec, ...(status ? { status } : {}) };
}

function slice(svc: string, port: number, eps: Array<[string, string]>, family: 4 | 6 = 4): EndpointSlice {
  return {
    metadata: { name: `${svc}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
    addressType: family === 4 ? 'IPv4' : 'IPv6',
    endpoints: eps.map(([ip, node]) => ({ addresses: [ip], nodeName: node, conditions: { ready: true } })),
    ports: [{ name: 'http', port, protocol: 'TCP' }],
  };
}

const web = service('web', {
  type: 'ClusterIP',
  clusterIP: '10.96.0.50',
  ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  sessionAffinity: 'ClientIP',
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
});
const webSlice = slice('web', 8080, [
  ['10.244.1.5', 'node-a'],
  ['10.244.2.7', 'node-b'],
  ['10.244.1.11', 'node-a'],
]);
const edge = service('edge', {
  type: 'NodePort',
  clusterIP: '10.96.0.60',
  externalTrafficPolicy: 'Local',
  ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }],
});
const edgeSlice = slice('edge', 80, [['10.244.2.9', 'node-b']]);
const local = service('local-only', {
  type: 'ClusterIP',
  clusterIP: '10.96.0.70',
  internalTrafficPolicy: 'Local',
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
});
const localSlice = slice('local-only', 80, [['10.244.2.10', 'node-b']]);
const lb = service(
  'lb',
  {
    type: 'LoadBalancer',
    clusterIP: '10.96.0.80',
    ports: [{ name: 'http', port: 443, nodePort: 31443, protocol: 'TCP' }],
    loadBalancerSourceRanges: ['203.0.113.0/24'],
  },
  { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } },
);
const lbSlice = slice('lb', 8443, [['10.244.1.20', 'node-a']]);

const all = { services: [web, edge, local, lb], endpointSlices: [webSlice, edgeSlice, localSlice, lbSlice] };
const strip = (vss: VirtualService[]) =>
  vss.map((vs) => ({
    ...vs,
    line: null,
    text: '',
    realServers: vs.realServers.map((r) => ({ ...r, line: null, text: '' })),
  }));

describe('generateIpvs', () => {
  const out = generateIpvs(all, settings, { family: 4 });

  it('writes a virtual server per cluster IP, LB VIP and node IP, with persistence and weight-1 masq servers', () => {
    expect(out.ipvs.split('\n').filter((l) => l.startsWith('-A'))).toEqual([
      '-A -t 10.96.0.60:80 -s rr',
      '-A -t 192.168.0.10:30080 -s rr',
      '-A -t 10.96.0.80:443 -s rr',
      '-A -t 198.51.100.7:443 -s rr',
      '-A -t 192.168.0.10:31443 -s rr',
      '-A -t 10.96.0.70:80 -s rr',
      '-A -t 10.96.0.50:80 -s rr -p 10800',
    ]);
    // Real servers in endpoint string order (10.244.1.11 before 10.244.1.5).
    expect(out.ipvs).toContain(
      [
        '-A -t 10.96.0.50:80 -s rr -p 10800',
        '-a -t 10.96.0.50:80 -r 10.244.1.11:8080 -m -w 1',
        '-a -t 10.96.0.50:80 -r 10.244.1.5:8080 -m -w 1',
        '-a -t 10.96.0.50:80 -r 10.244.2.7:8080 -m -w 1',
      ].join('\n'),
    );
  });

  it('falls back to cluster endpoints when the Local set is empty (unlike iptables)', () => {
    // eTP Local, the only endpoint is on node-b: the NodePort virtual server still gets it.
    expect(out.ipvs).toContain('-a -t 192.168.0.10:30080 -r 10.244.2.9:80 -m -w 1');
    expect(
      out.issues.some(
        (i) => i.message.includes('default/edge:http') && i.message.includes('externalTrafficPolicy Local'),
      ),
    ).toBe(true);
    // iTP Local and not externally accessible: the cluster set is empty too, so no real servers.
    expect(out.services.find((v) => v.address === '10.96.0.70')?.realServers).toEqual([]);
  });

  it('fills the ipsets kube-proxy uses', () => {
    const sets = parseIpset(out.ipset);
    expect(sets.issues).toEqual([]);
    expect(sets.sets.size).toBe(17);
    const members = (n: string) => sets.sets.get(n)?.entries.map((e) => e.text);
    expect(members('KUBE-CLUSTER-IP')).toEqual([
      '10.96.0.50,tcp:80',
      '10.96.0.60,tcp:80',
      '10.96.0.70,tcp:80',
      '10.96.0.80,tcp:443',
    ]);
    expect(members('KUBE-LOOP-BACK')).toEqual([
      '10.244.1.11,tcp:8080,10.244.1.11',
      '10.244.1.20,tcp:8443,10.244.1.20',
      '10.244.1.5,tcp:8080,10.244.1.5',
    ]);
    expect(members('KUBE-NODE-PORT-TCP')).toEqual(['30080', '31443']);
    expect(members('KUBE-NODE-PORT-LOCAL-TCP')).toEqual(['30080']);
    expect(members('KUBE-LOAD-BALANCER')).toEqual(['198.51.100.7,tcp:443']);
    expect(members('KUBE-LOAD-BALANCER-FW')).toEqual(['198.51.100.7,tcp:443']);
    expect(members('KUBE-LOAD-BALANCER-SOURCE-CIDR')).toEqual(['198.51.100.7,tcp:443,203.0.113.0/24']);
    expect(members('KUBE-LOAD-BALANCER-SOURCE-IP')).toEqual([]);
    expect(members('KUBE-IPVS-IPS')).toEqual([
      '10.96.0.50',
      '10.96.0.60',
      '10.96.0.70',
      '10.96.0.80',
      '198.51.100.7',
    ]);
    expect(
      ipsetMatches(sets, 'KUBE-CLUSTER-IP', ['dst', 'dst'], {
        src: '10.244.1.5',
        dst: '10.96.0.50',
        dport: 80,
        proto: 'tcp',
      }),
    ).toBe(true);
  });

  it('writes the companion iptables rules in order, parseable as iptables-save', () => {
    const rs = parseIptables(out.iptables);
    expect(rs.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const chain = (t: string, c: string) =>
      rs.tables
        .get(t)
        ?.chains.get(c)
        ?.rules.map((r) => r.text) ?? [];
    expect(chain('nat', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER',
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
      '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
      '-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT',
    ]);
    expect(chain('nat', 'KUBE-NODE-PORT')).toEqual([
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN',
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
    ]);
    expect(chain('nat', 'KUBE-MARK-MASQ')).toEqual(['-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000']);
    expect(chain('filter', 'INPUT')).toEqual([
      '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER',
      '-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT',
    ]);
    // The LB source range does not contain the node IP: node access to the VIP is dropped.
    expect(chain('filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([
      '-A KUBE-IPVS-OUT-FILTER -s 198.51.100.7/32 -m ipvs --vaddr 198.51.100.7/32 --vproto 6 --vport 443 -j DROP',
    ]);
    expect(chain('filter', 'KUBE-IPVS-FILTER').at(-1)).toBe(
      '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT --reject-with icmp-port-unreachable',
    );
  });

  it('re-parses to the same virtual services', () => {
    const parsed = parseIpvsadm(out.ipvs);
    expect(parsed.issues).toEqual([]);
    expect(strip(parsed.services)).toEqual(strip(out.services));
    expect(formatIpvsadmSave(parsed)).toBe(out.ipvs);
  });

  it('feeds the tracer lookup', () => {
    const r = ipvsLookup(parseIpvsadm(out.ipvs), {
      src: '10.244.2.3',
      dst: '10.96.0.50',
      dport: 80,
      proto: 'tcp',
    });
    expect(r?.choices).toHaveLength(3);
    expect(r?.persistenceSeconds).toBe(10800);
    expect(r?.key).toBe('TCP 10.96.0.50:80');
    // Generated objects carry the line a dump would show.
    const gen = out.services.find((v) => v.address === '10.96.0.50');
    expect(gen?.text).toBe('-A -t 10.96.0.50:80 -s rr -p 10800');
    expect(gen?.realServers[0]?.text).toBe('-a -t 10.96.0.50:80 -r 10.244.1.11:8080 -m -w 1');
  });
});

describe('generateIpvs variants', () => {
  it('mh sets mh-port; masqueradeAll and no detector change the cluster-IP rule', () => {
    const mh = generateIpvs(all, { ...settings, ipvsScheduler: 'mh', masqueradeAll: true }, { family: 4 });
    expect(mh.ipvs).toContain('-A -t 10.96.0.60:80 -s mh -b mh-port');
    expect(mh.iptables).toContain(
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
    );
    const none = generateIpvs(all, { ...settings, detectLocalMode: 'None' }, { family: 4 });
    expect(none.iptables).toContain('--match-set KUBE-CLUSTER-IP src,dst -j KUBE-MARK-MASQ');
  });

  it('nodePortAddresses selects node addresses', () => {
    const s = { ...settings, nodeIPs: ['192.168.0.10', '10.0.0.10'], nodePortAddresses: ['10.0.0.0/8'] };
    const out = generateIpvs(all, s, { family: 4 });
    expect(out.ipvs).toContain('-A -t 10.0.0.10:30080 -s rr');
    expect(out.ipvs).not.toContain('192.168.0.10:30080');
  });

  it('IPv6: KUBE-6- set names cut to 31 characters, bracketed addresses', () => {
    const v6svc = service(
      'v6',
      {
        type: 'LoadBalancer',
        clusterIP: 'fd00:10:96::50',
        clusterIPs: ['fd00:10:96::50'],
        ipFamilies: ['IPv6'],
        ports: [{ name: 'http', port: 80, nodePort: 30090, protocol: 'TCP' }],
        loadBalancerSourceRanges: ['2001:db8::/64'],
      },
      { loadBalancer: { ingress: [{ ip: '2001:db8:1::7' }] } },
    );
    const v6slice = slice('v6', 8080, [['fd00:10:244::5', 'node-a']], 6);
    const s = { ...settings, nodeIPs: ['fd00::10'], clusterCIDRs: ['fd00:10:244::/56'] };
    const out = generateIpvs({ services: [v6svc], endpointSlices: [v6slice] }, s, { family: 6 });
    expect(out.ipvs).toContain('-a -t [fd00:10:96::50]:80 -r [fd00:10:244::5]:8080 -m -w 1');
    expect(out.ipset).toContain('create KUBE-6-LOAD-BALANCER-SOURCE-CID hash:ip,port,net family inet6');
    expect(out.ipset).toContain('add KUBE-6-CLUSTER-IP fd00:10:96::50,tcp:80');
    expect(out.iptables).toContain('-A KUBE-SERVICES -s ::1/128 -j RETURN');
    expect(out.iptables).toContain('! -s fd00:10:244::/56 -m comment');
    expect(parseIpvsadm(out.ipvs).issues).toEqual([]);
    expect(parseIpset(out.ipset).issues).toEqual([]);
    expect(parseIptables(out.iptables).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});

describe('generated output as a graph', () => {
  it('names services from the generator and draws Local fallback endpoints', () => {
    const out = generateIpvs(all, settings, { family: 4 });
    const graph = buildIpvsGraph(parseIpvsadm(out.ipvs), {
      names: out.names,
      nodeAddresses: settings.nodeIPs,
    });
    expect(graph.services.map((s) => s.service).sort()).toEqual([
      'default/edge:http',
      'default/lb:http',
      'default/local-only:http',
      'default/web:http',
    ]);
    const edgeGraph = graph.services.find((s) => s.service === 'default/edge:http');
    expect(edgeGraph?.entries.map((e) => [e.kind, e.ip, e.port])).toEqual([
      ['clusterIP', '10.96.0.60', 80],
      ['nodePort', '192.168.0.10', 30080],
    ]);
    expect(edgeGraph?.endpoints).toEqual([{ address: '10.244.2.9:80', chain: null, probability: 1 }]);
    const localGraph = graph.services.find((s) => s.service === 'default/local-only:http');
    expect(localGraph?.nodes.some((n) => n.kind === 'reject')).toBe(true);
    const webGraph = graph.services.find((s) => s.service === 'default/web:http');
    expect(webGraph?.nodes.find((n) => n.kind === 'virtual-server')?.affinitySeconds).toBe(10800);
  });
});

const dumps = sharedPath('dumps');

describe.skipIf(!dumps)('dump 15 (a real IPVS-mode node, damaged): kube-proxy rule shapes', () => {
  it('every kube-proxy IPVS-mode nat rule of the dump is generated verbatim for the same settings', () => {
    const text = dumps
      ? readFileSync(join(dumps, '15-bad-cilium-kubeproxy-ipvs-garbled-dnat-version-mismatch.txt'), 'utf8')
      : '';
    const lines = text.split('\n');
    const nat = lines.slice(lines.indexOf('*nat'));
    const kubeRules = nat.filter(
      (l) =>
        /^-A (KUBE-POSTROUTING|KUBE-LOAD-BALANCER|KUBE-MARK-MASQ) /.test(l) ||
        (l.startsWith('-A KUBE-SERVICES ') && (l.includes('--match-set') || l.includes('addrtype'))),
    );
    expect(kubeRules.length).toBe(11);
    // The node: pod CIDR 10.42.0.0/16, an LB service, local endpoints (KUBE-LOOP-BACK in use),
    // an iptables without --random-fully.
    const out = generateIpvs(
      all,
      { ...settings, clusterCIDRs: ['10.42.0.0/16'] },
      { family: 4, randomFully: false },
    );
    const generated = new Set(out.iptables.split('\n'));
    expect(kubeRules.filter((l) => !generated.has(l))).toEqual([]);
  });
});
