// Real nodes' dumps (shared/dumps/19: k8s 1.29; 07: k3s 1.30) regenerated from the Services they
// imply: every kube-proxy per-service rule must come out exactly as iptables-save printed it there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { defaultProxySettings } from '../model/proxy-config.js';
import type { EndpointSlice, Service, ServicePort } from '../model/types.js';
import { generateIptables } from './generate.js';

const dumpPath = sharedPath('dumps/19-k8s1.29-flannel-docker-multiport-3-endpoints-iptables-save.txt');

const service = (
  ns: string,
  name: string,
  clusterIP: string,
  ports: ServicePort[],
  extra: Partial<Service['spec']> = {},
): Service => ({
  metadata: { name, namespace: ns },
  spec: { type: 'ClusterIP', clusterIP, ports, ...extra },
});
const slice = (
  ns: string,
  svc: string,
  ips: string[],
  ports: Array<[string, number, 'TCP' | 'UDP']>,
): EndpointSlice => ({
  metadata: { name: `${svc}-x`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip] })),
  ports: ports.map(([name, port, protocol]) => ({ name, port, protocol })),
});

const services = [
  service('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
  service('kube-system', 'kube-dns', '10.96.0.10', [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    { name: 'metrics', port: 9153, protocol: 'TCP' },
  ]),
  service('default', 'service1', '10.108.64.11', [
    { name: 'fileserver', port: 8080, protocol: 'TCP' },
    { name: 'downloader', port: 3000, protocol: 'TCP' },
  ]),
];
const slices = [
  slice('default', 'kubernetes', ['192.168.157.133'], [['https', 6443, 'TCP']]),
  slice(
    'kube-system',
    'kube-dns',
    ['10.244.0.5', '10.244.0.4'],
    [
      ['dns', 53, 'UDP'],
      ['dns-tcp', 53, 'TCP'],
      ['metrics', 9153, 'TCP'],
    ],
  ),
  slice(
    'default',
    'service1',
    ['10.244.1.6', '10.244.1.4', '10.244.1.5'],
    [
      ['fileserver', 8080, 'TCP'],
      ['downloader', 3000, 'TCP'],
    ],
  ),
];

const perServiceRule = /^-A (KUBE-SVC-|KUBE-SEP-|KUBE-SERVICES )/;

describe.skipIf(!dumpPath)('regenerating a real k8s 1.29 node dump', () => {
  it('produces the same per-service rules, byte for byte', () => {
    const dump = readFileSync(dumpPath ?? '', 'utf8');
    const settings = {
      ...defaultProxySettings('node1', ['192.168.157.134']),
      clusterCIDRs: ['10.244.0.0/16'],
      detectLocalMode: 'ClusterCIDR' as const,
    };
    const { text } = generateIptables({ services, endpointSlices: slices }, settings, {
      family: 4,
      format: 'save',
    });
    const mine = text.split('\n').filter((l) => perServiceRule.test(l));
    const theirs = dump.split('\n').filter((l) => perServiceRule.test(l));
    expect(mine.length).toBeGreaterThan(30);
    expect([...mine].sort()).toEqual([...theirs].sort());
  });

  it('and the same static rules and hook jumps, in the same order per table', () => {
    const dump = readFileSync(dumpPath ?? '', 'utf8');
    const settings = {
      ...defaultProxySettings('node1', ['192.168.157.134']),
      clusterCIDRs: ['10.244.0.0/16'],
    };
    const { text } = generateIptables(
      { services, endpointSlices: slices },
      { ...settings, detectLocalMode: 'ClusterCIDR' },
      {
        family: 4,
        format: 'save',
      },
    );
    // kube-proxy's own lines: rules in KUBE-* chains (not the kubelet's) and jumps into them.
    const kubeLines = (t: string) => {
      const byTable = new Map<string, string[]>();
      let table = '';
      for (const l of t.split('\n')) {
        if (l.startsWith('*')) table = l;
        const kube = /^-A KUBE-(?!KUBELET)/.test(l) || /^-A [A-Z]+ .*-j KUBE-(?!KUBELET)/.test(l);
        if (kube && !perServiceRule.test(l)) byTable.set(table, [...(byTable.get(table) ?? []), l]);
      }
      return byTable;
    };
    expect(kubeLines(text)).toEqual(kubeLines(dump));
  });
});

const k3sDump = sharedPath('dumps/07-k3s1.30-kube-router-netpol-flannel-iptables-save-nft-big.txt');

describe.skipIf(!k3sDump)(
  'regenerating a real k3s 1.30 node dump (externalIPs, NodePorts, UDP, hostNetwork endpoints)',
  () => {
    const node = '192.168.1.105';
    const one = (ns: string, svc: string, ip: string, ports: Array<[string, number, 'TCP' | 'UDP']>) =>
      slice(ns, svc, [ip], ports);
    const k3sServices = [
      service('default', 'kubernetes', '10.43.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
      service('kube-system', 'kube-dns', '10.43.0.10', [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ]),
      service('kube-system', 'metrics-server', '10.43.151.224', [
        { name: 'https', port: 443, protocol: 'TCP' },
      ]),
      service(
        'kube-system',
        'traefik',
        '10.43.85.149',
        [
          { name: 'web', port: 80, protocol: 'TCP' },
          { name: 'websecure', port: 443, protocol: 'TCP' },
        ],
        { externalIPs: ['100.90.167.160'] },
      ),
      service('default', 'redis', '10.43.111.105', [{ port: 6379, protocol: 'TCP' }]),
      service('default', 'ytdl', '10.43.63.99', [{ port: 80, protocol: 'TCP' }]),
      service('default', 'sumnivore', '10.43.11.157', [{ port: 80, protocol: 'TCP' }]),
      service('default', 'sumnivore-bun', '10.43.112.136', [{ port: 80, protocol: 'TCP' }]),
      service(
        'default',
        'tuby',
        '10.43.158.42',
        [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
        { type: 'NodePort' },
      ),
      service('default', 'registry', '10.43.188.231', [{ port: 5000, protocol: 'TCP', nodePort: 30500 }], {
        type: 'NodePort',
      }),
      service(
        'default',
        'tuby-dlna',
        '10.43.181.51',
        [{ name: 'dlna-udp', port: 1900, protocol: 'UDP', nodePort: 32197 }],
        {
          type: 'NodePort',
        },
      ),
    ];
    const k3sSlices = [
      one('default', 'kubernetes', node, [['https', 6443, 'TCP']]),
      one('kube-system', 'kube-dns', '10.42.0.7', [
        ['dns', 53, 'UDP'],
        ['dns-tcp', 53, 'TCP'],
        ['metrics', 9153, 'TCP'],
      ]),
      one('kube-system', 'metrics-server', '10.42.0.5', [['https', 10250, 'TCP']]),
      one('kube-system', 'traefik', node, [
        ['web', 80, 'TCP'],
        ['websecure', 443, 'TCP'],
      ]),
      one('default', 'redis', '10.42.0.11', [['', 6379, 'TCP']]),
      one('default', 'ytdl', '10.42.0.51', [['', 3000, 'TCP']]),
      one('default', 'sumnivore', '10.42.0.32', [['', 3000, 'TCP']]),
      one('default', 'sumnivore-bun', '10.42.0.29', [['', 3000, 'TCP']]),
      one('default', 'tuby', node, [['http', 8096, 'TCP']]),
      one('default', 'registry', '10.42.0.10', [['', 5000, 'TCP']]),
      one('default', 'tuby-dlna', node, [['dlna-udp', 1900, 'UDP']]),
    ];
    const rule = /^-A (KUBE-SVC-|KUBE-SEP-|KUBE-EXT-|KUBE-SERVICES |KUBE-NODEPORTS |KUBE-EXTERNAL-SERVICES )/;

    it('produces the same per-service rules in both tables, byte for byte', () => {
      const dump = readFileSync(k3sDump ?? '', 'utf8');
      const settings = {
        ...defaultProxySettings('k3s', [node]),
        clusterCIDRs: ['10.42.0.0/16'],
        detectLocalMode: 'ClusterCIDR' as const,
      };
      const { text } = generateIptables({ services: k3sServices, endpointSlices: k3sSlices }, settings, {
        family: 4,
        format: 'save',
      });
      const pick = (t: string) =>
        t
          .split('\n')
          .filter((l) => rule.test(l))
          .sort();
      expect(pick(text).length).toBeGreaterThan(80);
      expect(pick(text)).toEqual(pick(dump));
    });
  },
);
