// A real node's dump (k8s 1.29, shared/dumps/19) regenerated from the Services it implies: every
// kube-proxy per-service rule must come out exactly as iptables-save printed it on that node.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { defaultProxySettings } from '../model/proxy-config.js';
import type { EndpointSlice, Service, ServicePort } from '../model/types.js';
import { generateIptables } from './generate.js';

const dumpPath = sharedPath('dumps/19-k8s1.29-flannel-docker-multiport-3-endpoints-iptables-save.txt');

const service = (ns: string, name: string, clusterIP: string, ports: ServicePort[]): Service => ({
  metadata: { name, namespace: ns },
  spec: { type: 'ClusterIP', clusterIP, ports },
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
