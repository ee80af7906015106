import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultProxySettings } from '../model/proxy-config.js';
import type { EndpointSlice, ProxySettings, Service } from '../model/types.js';
import {
  buildIptables,
  formatMark,
  generateIptables,
  generateIptablesSync,
  sortIptablesRestore,
} from './generate.js';
import { kernelProbability, toSaveForm } from './generate-save.js';

const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({
  metadata: { name, namespace: 'ns1' },
  spec,
  ...(status ? { status } : {}),
});
const slice = (
  svcName: string,
  addressType: 'IPv4' | 'IPv6',
  ips: string[],
  port = 80,
  nodeName?: string,
): EndpointSlice => ({
  metadata: { name: `${svcName}-1`, namespace: 'ns1', labels: { 'kubernetes.io/service-name': svcName } },
  addressType,
  endpoints: ips.map((ip) => ({ addresses: [ip], ...(nodeName ? { nodeName } : {}) })),
  ports: [{ name: 'p', port, protocol: 'TCP' }],
});

const settings = (o: Partial<ProxySettings> = {}): ProxySettings => ({
  ...defaultProxySettings('node-a', ['192.168.0.2', '2001:db8::1']),
  clusterCIDRs: ['10.0.0.0/8', 'fd00:10::/64'],
  detectLocalMode: 'ClusterCIDR',
  ...o,
});

const lines = (text: string, chainPrefix: string) =>
  text.split('\n').filter((l) => l.startsWith(`-A ${chainPrefix}`));

describe('generateIptables', () => {
  it('writes the real kube-proxy mark and --random-fully by default', () => {
    const { text } = generateIptables({ services: [], endpointSlices: [] }, settings(), {
      family: 4,
      format: 'restore-input',
    });
    expect(text).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x004000');
    expect(text).toContain('-j MASQUERADE --random-fully');
    expect(text).toContain('-m nfacct --nfacct-name ct_state_invalid_dropped_pkts');
    expect(text.startsWith('*filter\n')).toBe(true);
    expect(text.endsWith('COMMIT\n')).toBe(true);
  });

  it('IPv6: bracketed DNAT, ::1 excluded from NodePorts, no localhost rules', () => {
    const s = svc('web', {
      type: 'NodePort',
      clusterIP: 'fd00:172:30::41',
      ports: [{ name: 'p', port: 80, nodePort: 3001 }],
    });
    const { text } = generateIptables(
      { services: [s], endpointSlices: [slice('web', 'IPv6', ['fd00:10::5'])] },
      settings(),
      { family: 6, format: 'restore-input', markFormat: 'test' },
    );
    expect(text).toContain('-j DNAT --to-destination [fd00:10::5]:80');
    expect(text).toContain('-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS');
    expect(text).not.toContain('127.0.0.0/8');
    expect(text).toContain('! -s fd00:10::/64 -j KUBE-MARK-MASQ');
  });

  it('nodePortAddresses: one tail rule per matching node IP, primary keyword', () => {
    const { text } = generateIptables(
      { services: [], endpointSlices: [] },
      settings({ nodePortAddresses: ['primary'] }),
      {
        family: 4,
        format: 'restore-input',
      },
    );
    expect(lines(text, 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS',
    ]);
  });

  it('probabilities follow the byte-wise endpoint order', () => {
    const s = svc('web', { clusterIP: '172.30.0.1', ports: [{ name: 'p', port: 80 }] });
    const { text } = generateIptables(
      { services: [s], endpointSlices: [slice('web', 'IPv4', ['10.180.0.2', '10.180.0.10', '10.180.0.1'])] },
      settings(),
      { family: 4, format: 'restore-input' },
    );
    const svcRules = lines(text, 'KUBE-SVC-').filter((l) => l.includes('->'));
    expect(svcRules.map((l) => /-> (\S+)"/.exec(l)?.[1])).toEqual([
      '10.180.0.10:80',
      '10.180.0.1:80',
      '10.180.0.2:80',
    ]);
    expect(svcRules[0]).toContain('--probability 0.3333333333');
    expect(svcRules[1]).toContain('--probability 0.5000000000');
    expect(svcRules[2]).not.toContain('statistic');
  });

  it('large-cluster mode drops SEP and SVC→SEP comments only', () => {
    const s = svc('web', { clusterIP: '172.30.0.1', ports: [{ name: 'p', port: 80 }] });
    const ips = Array.from({ length: 5 }, (_, i) => `10.1.0.${i + 1}`);
    const r = generateIptables({ services: [s], endpointSlices: [slice('web', 'IPv4', ips)] }, settings(), {
      family: 4,
      format: 'restore-input',
      largeClusterThreshold: 4,
    });
    expect(r.largeClusterMode).toBe(true);
    expect(lines(r.text, 'KUBE-SEP-').every((l) => !l.includes('--comment'))).toBe(true);
    expect(lines(r.text, 'KUBE-SVC-').filter((l) => l.includes('--comment'))).toHaveLength(1); // the masquerade rule
    expect(lines(r.text, 'KUBE-SERVICES')[0]).toContain('"ns1/web:p cluster IP"');
  });

  it('interface-prefix detector and masqueradeAll', () => {
    const s = svc('web', { clusterIP: '172.30.0.1', ports: [{ name: 'p', port: 80 }] });
    const input = { services: [s], endpointSlices: [slice('web', 'IPv4', ['10.1.0.1'])] };
    const prefix = generateIptables(
      input,
      settings({ detectLocalMode: 'InterfaceNamePrefix', detectLocalInterface: 'veth' }),
      {
        family: 4,
        format: 'restore-input',
      },
    );
    expect(prefix.text).toContain('--dport 80 ! -i veth+ -j KUBE-MARK-MASQ');
    const all = generateIptables(input, settings({ masqueradeAll: true }), {
      family: 4,
      format: 'restore-input',
    });
    expect(all.text).toContain('-d 172.30.0.1 --dport 80 -j KUBE-MARK-MASQ');
  });

  it('formats the mark as Go %#08x or as the tests inject it', () => {
    expect(formatMark(14, 'kube-proxy')).toBe('0x004000');
    expect(formatMark(20, 'kube-proxy')).toBe('0x100000');
    expect(formatMark(14, 'test')).toBe('0x4000');
  });

  it('LB source range containing the node IP also admits the VIP as source', () => {
    const s = svc(
      'lb',
      {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.9',
        loadBalancerSourceRanges: ['192.168.0.0/24'],
        ports: [{ name: 'p', port: 80, nodePort: 30009 }],
      },
      { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
    );
    const { text } = generateIptables(
      { services: [s], endpointSlices: [slice('lb', 'IPv4', ['10.1.0.1'])] },
      settings(),
      {
        family: 4,
        format: 'restore-input',
      },
    );
    const fw = lines(text, 'KUBE-FW-');
    expect(fw.map((l) => l.replace(/KUBE-(FW|EXT)-\w+/g, 'X'))).toEqual([
      '-A X -m comment --comment "ns1/lb:p loadbalancer IP" -s 192.168.0.0/24 -j X',
      '-A X -m comment --comment "ns1/lb:p loadbalancer IP" -s 5.6.7.8 -j X',
      '-A X -m comment --comment "other traffic to ns1/lb:p will be dropped by KUBE-PROXY-FIREWALL"',
    ]);
  });

  it('zone hints narrow the SVC chain but not the local-traffic rules', () => {
    const s = svc('z', { clusterIP: '172.30.0.7', ports: [{ name: 'p', port: 80 }] });
    const sl: EndpointSlice = {
      ...slice('z', 'IPv4', []),
      endpoints: [
        { addresses: ['10.1.0.1'], zone: 'a', hints: { forZones: [{ name: 'a' }] } },
        { addresses: ['10.1.0.2'], zone: 'b', hints: { forZones: [{ name: 'b' }] } },
      ],
    };
    const r = generateIptables({ services: [s], endpointSlices: [sl] }, settings({ zone: 'a' }), {
      family: 4,
      format: 'restore-input',
    });
    expect(lines(r.text, 'KUBE-SEP-').filter((l) => l.includes('DNAT'))).toHaveLength(1);
    expect(r.servicePorts[0]?.endpoints.topologyMode).toBe('PreferSameZone');
  });

  it('reports inputs kube-proxy skips', () => {
    const s = svc('bad', { clusterIP: '172.30.0.500', ports: [{ port: 80 }] });
    const r = generateIptables({ services: [s], endpointSlices: [] }, settings(), {
      family: 4,
      format: 'restore-input',
    });
    expect(r.issues.map((i) => i.path)).toEqual(['services[0].spec.clusterIP']);
    expect(r.text).not.toContain('172.30.0.500');
  });

  it('partial syncs rewrite only changed Services and delete stale chains', () => {
    const a = svc('a', { clusterIP: '172.30.0.1', ports: [{ name: 'p', port: 80 }] });
    const b = svc('b', { clusterIP: '172.30.0.2', ports: [{ name: 'p', port: 80 }] });
    const before = {
      services: [a, b],
      endpointSlices: [slice('a', 'IPv4', ['10.1.0.1']), slice('b', 'IPv4', ['10.2.0.1'])],
    };
    const after = {
      services: [a, b],
      endpointSlices: [slice('a', 'IPv4', ['10.1.0.1']), slice('b', 'IPv4', ['10.2.0.2'])],
    };
    const opts = { family: 4, format: 'restore-input' } as const;
    const none = generateIptablesSync(before, settings(), { ...opts, previous: before });
    expect(none.text).not.toMatch(/^:KUBE-(SVC|SEP)-/m);
    const changed = generateIptablesSync(after, settings(), { ...opts, previous: before });
    expect(lines(changed.text, 'KUBE-SEP-').every((l) => l.includes('ns1/b:p'))).toBe(true);
    expect(changed.text.match(/^-X .*$/gm)).toHaveLength(1);
    const full = generateIptablesSync(after, settings(), { ...opts, previous: before, fullSync: true });
    expect(lines(full.text, 'KUBE-SEP-').some((l) => l.includes('ns1/a:p'))).toBe(true);
    expect(full.text.match(/^-X .*$/gm)).toHaveLength(1);
  });

  it('sortIptablesRestore is idempotent', () => {
    const s = svc(
      'web',
      { type: 'LoadBalancer', clusterIP: '172.30.0.1', ports: [{ name: 'p', port: 80, nodePort: 30080 }] },
      {
        loadBalancer: { ingress: [{ ip: '1.2.3.4' }] },
      },
    );
    const { text } = generateIptables(
      { services: [s], endpointSlices: [slice('web', 'IPv4', ['10.1.0.1'])] },
      settings(),
      {
        family: 4,
        format: 'restore-input',
      },
    );
    const once = sortIptablesRestore(text);
    expect(sortIptablesRestore(once)).toBe(once);
  });
});

describe('save form', () => {
  it('rewrites rules as iptables-save prints them', () => {
    expect(
      toSaveForm(
        '-A KUBE-SERVICES -m comment --comment "a b" -m tcp -p tcp -d 1.2.3.4 --dport 80 ! -s 10.0.0.0/8 -j X',
        4,
      ),
    ).toBe(
      '-A KUBE-SERVICES ! -s 10.0.0.0/8 -d 1.2.3.4/32 -p tcp -m comment --comment "a b" -m tcp --dport 80 -j X',
    );
    expect(toSaveForm('-A KUBE-MARK-MASQ -j MARK --or-mark 0x004000', 4)).toBe(
      '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    );
    expect(toSaveForm('-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000', 4)).toBe(
      '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    );
    expect(
      toSaveForm(
        '-A C -m comment --comment x -m recent --name S --set -m tcp -p tcp -j DNAT --to-destination 1.1.1.1:80',
        4,
      ),
    ).toBe(
      '-A C -p tcp -m comment --comment "x" -m recent --set --name S --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 1.1.1.1:80',
    );
    expect(kernelProbability('0.3333333333')).toBe('0.33333333349');
    expect(kernelProbability('0.5000000000')).toBe('0.50000000000');
  });

  it('the save forms writers give directly are what rewriting their restore forms gives', () => {
    const sticky = (name: string, ip: string, extra: Partial<Service['spec']> = {}) =>
      svc(name, {
        type: 'NodePort',
        clusterIP: ip,
        sessionAffinity: 'ClientIP',
        ports: [{ name: 'p', port: 80, nodePort: 30080 }],
        ...extra,
      });
    for (const [family, threshold] of [
      [4, 1000],
      [4, 2],
      [6, 1000],
    ] as const) {
      const v4 = family === 4;
      const b = buildIptables(
        {
          services: [
            sticky('web', v4 ? '172.30.0.1' : 'fd00:172:30::1'),
            sticky('loc', v4 ? '172.30.0.2' : 'fd00:172:30::2', { externalTrafficPolicy: 'Local' }),
            svc('plain', {
              clusterIP: v4 ? '172.30.0.3' : 'fd00:172:30::3',
              ports: [{ port: 53, protocol: 'UDP' }],
            }),
          ],
          endpointSlices: [
            slice(
              'web',
              v4 ? 'IPv4' : 'IPv6',
              v4 ? ['10.1.0.1', '10.1.0.2', '10.1.0.3'] : ['fd00:10::1', 'fd00:10::2'],
            ),
            slice('loc', v4 ? 'IPv4' : 'IPv6', v4 ? ['10.1.0.4'] : ['fd00:10::4'], 80, 'node-a'),
            {
              ...slice('plain', v4 ? 'IPv4' : 'IPv6', v4 ? ['10.1.0.5', '10.1.0.6'] : ['fd00:10::5'], 53),
              ports: [{ port: 53, protocol: 'UDP', name: '' }],
            },
          ],
        },
        settings(),
        { family, format: 'save', largeClusterThreshold: threshold },
      );
      const given = b.nat.rules.flatMap((r, i) => {
        const save = b.nat.saveForms?.[i];
        return save === undefined ? [] : [[save, toSaveForm(r, family)]];
      });
      expect(given.length).toBeGreaterThan(10);
      for (const [save, rewritten] of given) expect(save).toBe(rewritten);
    }
  });

  it('is a complete ruleset with hooks and canaries', () => {
    const { text } = generateIptables({ services: [], endpointSlices: [] }, settings(), {
      family: 4,
      format: 'save',
    });
    expect(text.match(/^\*\w+$/gm)).toEqual(['*mangle', '*filter', '*nat']);
    expect(text).toContain(':KUBE-PROXY-CANARY - [0:0]');
    expect(text).toContain(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    );
    expect(text).toContain(':FORWARD ACCEPT [0:0]');
  });

  const canLoad = (tool: string) =>
    spawnSync('unshare', ['-rn', `${tool}-restore`, '--version'], { encoding: 'utf8' }).status === 0 &&
    spawnSync('unshare', ['-rn', `${tool}-save`], { encoding: 'utf8' }).status === 0;

  const lbService = (family: 4 | 6): Service =>
    svc(
      'web',
      {
        type: 'LoadBalancer',
        clusterIP: family === 4 ? '172.30.0.1' : 'fd00:172:30::1',
        externalIPs: [family === 4 ? '192.168.99.1' : '2001:db8:99::1'],
        externalTrafficPolicy: 'Local',
        sessionAffinity: 'ClientIP',
        loadBalancerSourceRanges: [family === 4 ? '203.0.113.0/25' : '2001:db8:113::/64'],
        healthCheckNodePort: 30000,
        ports: [{ name: 'p', port: 80, nodePort: 30080 }],
      },
      { loadBalancer: { ingress: [{ ip: family === 4 ? '1.2.3.4' : '2001:db8:5::8' }] } },
    );

  for (const [family, tool] of [
    [4, 'iptables'],
    [6, 'ip6tables'],
  ] as const) {
    it.skipIf(!canLoad(tool))(
      `IPv${family}: loads into an empty network namespace; ${tool}-save prints it back unchanged`,
      () => {
        const ips =
          family === 4 ? ['10.1.0.1', '10.1.0.2', '10.1.0.3'] : ['fd00:10::1', 'fd00:10::2', 'fd00:10::3'];
        const { text } = generateIptables(
          {
            services: [
              lbService(family),
              svc('none', {
                clusterIP: family === 4 ? '172.30.0.2' : 'fd00:172:30::2',
                ports: [{ port: 53, protocol: 'UDP' }],
              }),
            ],
            endpointSlices: [slice('web', family === 4 ? 'IPv4' : 'IPv6', ips, 80, 'node-a')],
          },
          settings(),
          // No nfacct matches in the save form by default: the objects do not exist in a fresh namespace.
          { family, format: 'save' },
        );
        const out = execFileSync('unshare', ['-rn', 'sh', '-c', `${tool}-restore && ${tool}-save`], {
          input: text,
          encoding: 'utf8',
        });
        const saved = out
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join('\n');
        expect(saved).toBe(text);
        expect(text).toContain(family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable');
      },
    );
  }
});
