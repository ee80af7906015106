import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../model/types.js';
import { dnsRecords } from './dns.js';
import { serviceEnvVars, serviceEnvVarsFor } from './env-vars.js';

const kubeDns: Service = {
  metadata: { name: 'kube-dns', namespace: 'kube-system', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  },
};
const hostnames: Service = {
  metadata: { name: 'hostnames', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    clusterIP: '10.0.1.175',
    selector: { app: 'hostnames' },
    ports: [{ port: 80, targetPort: 9376, protocol: 'TCP' }],
  },
};
const headless: Service = {
  metadata: { name: 'nginx', namespace: 'default' },
  spec: { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ name: 'web', port: 80 }] },
};
const headlessSlice: EndpointSlice = {
  metadata: { name: 'nginx-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'nginx' } },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.244.1.5'], hostname: 'web-0', conditions: { ready: true } },
    { addresses: ['10.244.2.7'], conditions: { ready: true } },
    { addresses: ['10.244.3.9'], conditions: { ready: false } },
  ],
  ports: [{ name: 'web', port: 80, protocol: 'TCP' }],
};

describe('dnsRecords', () => {
  it('A and SRV records for a ClusterIP service (kube-dns)', () => {
    const r = dnsRecords({ services: [kubeDns], endpointSlices: [] });
    expect(r.map((x) => [x.type, x.name, x.value, x.port])).toEqual([
      ['A', 'kube-dns.kube-system.svc.cluster.local', '10.96.0.10', undefined],
      [
        'SRV',
        '_dns._udp.kube-dns.kube-system.svc.cluster.local',
        'kube-dns.kube-system.svc.cluster.local',
        53,
      ],
      [
        'SRV',
        '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local',
        'kube-dns.kube-system.svc.cluster.local',
        53,
      ],
      [
        'SRV',
        '_metrics._tcp.kube-dns.kube-system.svc.cluster.local',
        'kube-dns.kube-system.svc.cluster.local',
        9153,
      ],
    ]);
  });
  it('headless: ready endpoints, hostname and dashed-IP records, SRV per endpoint', () => {
    const r = dnsRecords({ services: [headless], endpointSlices: [headlessSlice] }, 'example.org');
    expect(r.map((x) => `${x.type} ${x.name} ${x.value}${x.port ? `:${x.port}` : ''}`)).toEqual([
      'A nginx.default.svc.example.org 10.244.1.5',
      'A web-0.nginx.default.svc.example.org 10.244.1.5',
      'A nginx.default.svc.example.org 10.244.2.7',
      'A 10-244-2-7.nginx.default.svc.example.org 10.244.2.7',
      'SRV _web._tcp.nginx.default.svc.example.org web-0.nginx.default.svc.example.org:80',
      'SRV _web._tcp.nginx.default.svc.example.org 10-244-2-7.nginx.default.svc.example.org:80',
    ]);
  });
  it('headless without slices: records from the pods hostname/subdomain', () => {
    const r = dnsRecords({
      services: [headless],
      endpointSlices: [],
      pods: [
        {
          metadata: { name: 'web-0', namespace: 'default', labels: { app: 'nginx' } },
          spec: { hostname: 'web-0', subdomain: 'nginx' },
          status: { podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: 'True' }] },
        },
      ],
    });
    expect(r.map((x) => `${x.type} ${x.name} ${x.value}`)).toContain(
      'A web-0.nginx.default.svc.cluster.local 10.244.1.5',
    );
  });
  it('ExternalName is a CNAME; dual-stack gives A and AAAA', () => {
    const r = dnsRecords({
      services: [
        {
          metadata: { name: 'db', namespace: 'prod' },
          spec: { type: 'ExternalName', externalName: 'db.example.com' },
        },
        {
          metadata: { name: 'ds', namespace: 'prod' },
          spec: { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', 'fd00::5'] },
        },
      ],
      endpointSlices: [],
    });
    expect(r.map((x) => [x.type, x.value])).toEqual([
      ['CNAME', 'db.example.com'],
      ['A', '10.96.0.5'],
      ['AAAA', 'fd00::5'],
    ]);
  });
});

describe('serviceEnvVars', () => {
  it('gives nothing for a headless Service on its own', () => {
    expect(serviceEnvVarsFor(headless)).toEqual([]);
  });
  it('the hostnames example', () => {
    const env = serviceEnvVars([hostnames, kubeDns, headless], 'default', '2024-02-01T00:00:00Z');
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      HOSTNAMES_SERVICE_HOST: '10.0.1.175',
      HOSTNAMES_SERVICE_PORT: '80',
      HOSTNAMES_PORT: 'tcp://10.0.1.175:80',
      HOSTNAMES_PORT_80_TCP: 'tcp://10.0.1.175:80',
      HOSTNAMES_PORT_80_TCP_PROTO: 'tcp',
      HOSTNAMES_PORT_80_TCP_PORT: '80',
      HOSTNAMES_PORT_80_TCP_ADDR: '10.0.1.175',
    });
  });
  it('named ports of kube-dns, upper-cased with dashes as underscores', () => {
    const env = Object.fromEntries(
      serviceEnvVars([kubeDns], 'kube-system', '2024-02-01T00:00:00Z').map((e) => [e.name, e.value]),
    );
    expect(env['KUBE_DNS_SERVICE_PORT']).toBe('53');
    expect(env['KUBE_DNS_SERVICE_PORT_DNS_TCP']).toBe('53');
    expect(env['KUBE_DNS_SERVICE_PORT_METRICS']).toBe('9153');
    expect(env['KUBE_DNS_PORT']).toBe('udp://10.96.0.10:53');
    expect(env['KUBE_DNS_PORT_53_UDP_PROTO']).toBe('udp');
    expect(env['KUBE_DNS_PORT_9153_TCP']).toBe('tcp://10.96.0.10:9153');
  });
  it('always adds default/kubernetes, even without service links', () => {
    const api: Service = {
      metadata: { name: 'kubernetes', namespace: 'default' },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
    };
    const env = serviceEnvVars([api, kubeDns], 'kube-system', '2024-02-01T00:00:00Z', {
      enableServiceLinks: false,
    });
    expect(env.map((e) => e.name)).toContain('KUBERNETES_SERVICE_HOST');
    expect(env.find((e) => e.name === 'KUBERNETES_PORT_443_TCP')?.value).toBe('tcp://10.96.0.1:443');
    expect(env.some((e) => e.name.startsWith('KUBE_DNS'))).toBe(false);
  });
  it('omits Services created after the pod', () => {
    expect(serviceEnvVars([hostnames], 'default', '2023-12-31T00:00:00Z')).toEqual([]);
  });
});
