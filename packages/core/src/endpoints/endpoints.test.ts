import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Pod, Service } from '../model/types.js';
import { categorizeEndpoints } from './categorize.js';
import { endpointSlicesFromPods } from './from-pods.js';
import { proxyInputIssues } from './input-issues.js';
import { servicePortsFor } from './service-ports.js';
import type { ProxyServicePort } from './types.js';

const svc = (name: string, spec: Service['spec'], extra: Partial<Service> = {}): Service => ({
  metadata: { name, namespace: 'ns1' },
  spec,
  ...extra,
});
const slice = (name: string, svcName: string, s: Partial<EndpointSlice>): EndpointSlice => ({
  metadata: { name, namespace: 'ns1', labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  ...s,
});
const settings = { nodeName: 'node-a' };

describe('servicePortsFor', () => {
  it('derives spn, sloppy cluster IP, family-filtered IPs and trimmed ranges', () => {
    const s = svc(
      'svc1',
      {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.041',
        externalIPs: ['192.168.99.011', '2001:db8::1'],
        loadBalancerSourceRanges: [' 203.0.113.0/25', '2001:db8::/64'],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 30000,
        sessionAffinity: 'ClientIP',
        ports: [
          { name: 'p80', port: 80, nodePort: 3001 },
          { port: 53, protocol: 'UDP' },
        ],
      },
      {
        status: {
          loadBalancer: {
            ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8', ipMode: 'Proxy' }, { hostname: 'lb.example' }],
          },
        },
      },
    );
    const ports = servicePortsFor([s], [], settings, 4);
    expect(ports.map((p) => p.servicePortName)).toEqual(['ns1/svc1:p80', 'ns1/svc1']);
    const p = ports[0] as ProxyServicePort;
    expect(p.clusterIP).toBe('172.30.0.41');
    expect(p.externalIPs).toEqual(['192.168.99.11']);
    expect(p.loadBalancerVIPs).toEqual(['1.2.3.4']);
    expect(p.loadBalancerSourceRanges).toEqual(['203.0.113.0/25']);
    expect(p.stickyMaxAgeSeconds).toBe(10800);
    expect(p.externalPolicyLocal).toBe(true);
    expect(p.healthCheckNodePort).toBe(30000);
    expect(p.usesLocalEndpoints).toBe(true);
    expect(p.usesClusterEndpoints).toBe(true);
    expect(ports[1]?.protocol).toBe('UDP');
  });

  it('skips headless, ExternalName, labelled and other-family services', () => {
    const ports = servicePortsFor(
      [
        svc('h', { clusterIP: 'None', ports: [{ port: 80 }] }),
        svc('x', { type: 'ExternalName', externalName: 'a.b', ports: [{ port: 80 }] }),
        {
          ...svc('l', { clusterIP: '10.0.0.1', ports: [{ port: 80 }] }),
          metadata: {
            name: 'l',
            namespace: 'ns1',
            labels: { 'service.kubernetes.io/service-proxy-name': 'x' },
          },
        },
        svc('v6', { clusterIP: 'fd00::1', ports: [{ port: 80 }] }),
      ],
      [],
      settings,
      4,
    );
    expect(ports).toEqual([]);
  });

  it('merges slices: first address, dedup with non-terminating winning, byte-wise sort, defaults', () => {
    const s = svc('svc1', { clusterIP: '10.0.0.1', ports: [{ name: 'p', port: 80 }] });
    const slices = [
      slice('svc1-a', 'svc1', {
        ports: [{ name: 'p', port: 80, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.1.1.1', '10.9.9.9'], nodeName: 'node-a' },
          { addresses: ['10.1.1.11'], conditions: { ready: false, terminating: true } },
        ],
      }),
      slice('svc1-b', 'svc1', {
        ports: [{ name: 'p', port: 80, protocol: 'TCP' }],
        endpoints: [{ addresses: ['010.1.1.11'], conditions: { ready: true } }],
      }),
      slice('svc1-c', 'svc1', {
        addressType: 'FQDN',
        ports: [{ name: 'p', port: 80, protocol: 'TCP' }],
        endpoints: [{ addresses: ['example.com'] }],
      }),
      slice('svc1-d', 'svc1', {
        ports: [{ name: null, port: 80 }],
        endpoints: [{ addresses: ['10.2.2.2'] }],
      }),
    ];
    const [p] = servicePortsFor([s], slices, settings, 4);
    expect(p?.endpoints.map((e) => e.endpoint)).toEqual(['10.1.1.11:80', '10.1.1.1:80']);
    expect(p?.endpoints[0]?.terminating).toBe(false);
    expect(p?.endpoints[1]).toMatchObject({ ready: true, serving: true, terminating: false, isLocal: true });
  });
});

describe('categorizeEndpoints', () => {
  const ep = (ip: string, o: Partial<ProxyServicePort['endpoints'][number]> = {}) => ({
    ip,
    port: 80,
    endpoint: `${ip}:80`,
    ready: true,
    serving: true,
    terminating: false,
    isLocal: false,
    zoneHints: null,
    nodeHints: null,
    sliceName: 's',
    ...o,
  });
  const port = (o: Partial<ProxyServicePort>) => ({
    endpoints: [],
    usesClusterEndpoints: true,
    usesLocalEndpoints: false,
    internalPolicyLocal: false,
    externalPolicyLocal: false,
    ...o,
  });

  it('has no endpoints for an empty list', () => {
    const c = categorizeEndpoints(port({}), 'n', undefined);
    expect(c.hasEndpoints).toBe(false);
    expect(c.allReachable).toEqual([]);
  });

  it('falls back to serving terminating endpoints, never to unready serving ones', () => {
    const c = categorizeEndpoints(
      port({
        endpoints: [
          ep('10.0.0.1', { ready: false, serving: true, terminating: false }),
          ep('10.0.0.2', { ready: false, serving: true, terminating: true }),
          ep('10.0.0.3', { ready: false, serving: false, terminating: true }),
        ],
      }),
      'n',
      undefined,
    );
    expect(c.clusterEndpoints.map((e) => e.ip)).toEqual(['10.0.0.2']);
    expect(c.hasEndpoints).toBe(true);
  });

  it('iTP Local without local endpoints: endpoints exist but none internal', () => {
    const c = categorizeEndpoints(
      port({
        endpoints: [ep('10.0.0.1')],
        usesClusterEndpoints: false,
        usesLocalEndpoints: true,
        internalPolicyLocal: true,
      }),
      'n',
      undefined,
    );
    expect(c).toMatchObject({ hasEndpoints: true, hasInternalEndpoints: false, localChainUsed: false });
  });

  it('eTP Local: local endpoints plus the cluster set for short-circuiting', () => {
    const c = categorizeEndpoints(
      port({
        endpoints: [ep('10.0.0.1', { isLocal: true }), ep('10.0.0.2')],
        usesLocalEndpoints: true,
        externalPolicyLocal: true,
      }),
      'n',
      undefined,
    );
    expect(c.localEndpoints.map((e) => e.ip)).toEqual(['10.0.0.1']);
    expect(c.allReachable.map((e) => e.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(c.hasExternalEndpoints).toBe(true);
  });

  it('zone hints apply only when every ready endpoint has one and one matches', () => {
    const eps = [ep('10.0.0.1', { zoneHints: ['a'] }), ep('10.0.0.2', { zoneHints: ['b'] })];
    expect(categorizeEndpoints(port({ endpoints: eps }), 'n', 'a').clusterEndpoints.map((e) => e.ip)).toEqual(
      ['10.0.0.1'],
    );
    expect(categorizeEndpoints(port({ endpoints: eps }), 'n', 'c').clusterEndpoints).toHaveLength(2);
    const partial = [...eps, ep('10.0.0.3')];
    expect(categorizeEndpoints(port({ endpoints: partial }), 'n', 'a').clusterEndpoints).toHaveLength(3);
  });

  it('node hints win over zone hints unless the gate is off', () => {
    const eps = [
      ep('10.0.0.1', { nodeHints: ['n'], zoneHints: ['a'] }),
      ep('10.0.0.2', { nodeHints: ['m'], zoneHints: ['a'] }),
    ];
    const on = categorizeEndpoints(port({ endpoints: eps }), 'n', 'a');
    expect(on.topologyMode).toBe('PreferSameNode');
    expect(on.clusterEndpoints.map((e) => e.ip)).toEqual(['10.0.0.1']);
    const off = categorizeEndpoints(port({ endpoints: eps }), 'n', 'a', {
      PreferSameTrafficDistribution: false,
    });
    expect(off.topologyMode).toBe('PreferSameZone');
    expect(off.clusterEndpoints).toHaveLength(2);
  });
});

describe('endpointSlicesFromPods', () => {
  const pod = (name: string, ip: string | undefined, o: Partial<Pod> = {}): Pod => ({
    metadata: { name, namespace: 'ns1', labels: { app: 'web' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: {
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
    ...o,
  });

  it('selects pods with IPs, resolves named target ports, marks terminating and unready pods', () => {
    const s = svc('web', {
      clusterIP: '10.96.0.10',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
    const slices = endpointSlicesFromPods(
      [s],
      [
        pod('a', '10.1.0.1'),
        pod('b', undefined),
        pod('c', '10.1.0.3', {
          metadata: { name: 'c', namespace: 'ns1', labels: { app: 'web' }, deletionTimestamp: 't' },
        }),
        pod('d', '10.1.0.4', {
          status: { podIP: '10.1.0.4', conditions: [{ type: 'Ready', status: 'False' }] },
        }),
        pod('e', '10.1.0.5', { metadata: { name: 'e', namespace: 'ns2', labels: { app: 'web' } } }),
      ],
    );
    expect(slices).toHaveLength(1);
    const sl = slices[0] as EndpointSlice;
    expect(sl.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(sl.metadata.labels?.['kubernetes.io/service-name']).toBe('web');
    expect(sl.endpoints?.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.1.0.1', { ready: true, serving: true, terminating: false }],
      ['10.1.0.3', { ready: false, serving: true, terminating: true }],
      ['10.1.0.4', { ready: false, serving: false, terminating: false }],
    ]);
    // and the proxy sees them
    const [p] = servicePortsFor([s], slices, settings, 4);
    expect(p?.endpoints.map((e) => e.endpoint)).toEqual(['10.1.0.1:8080', '10.1.0.3:8080', '10.1.0.4:8080']);
  });

  it('produces nothing without a selector or for ExternalName, and slices for headless services', () => {
    const slices = endpointSlicesFromPods(
      [
        svc('manual', { clusterIP: '10.96.0.11', ports: [{ port: 80 }] }),
        svc('ext', { type: 'ExternalName', externalName: 'x', selector: { app: 'web' } }),
        svc('hl', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] }),
      ],
      [pod('a', '10.1.0.1', { spec: { hostname: 'a', subdomain: 'hl' } })],
    );
    expect(slices.map((s) => s.metadata.labels?.['kubernetes.io/service-name'])).toEqual(['hl']);
    expect(slices[0]?.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
    expect(slices[0]?.endpoints?.[0]?.hostname).toBe('a');
  });
});

describe('proxyInputIssues', () => {
  it('explains what kube-proxy skips', () => {
    const services: Service[] = [
      svc('a', {
        type: 'ClusterIP',
        clusterIP: 'bogus',
        externalTrafficPolicy: 'Local',
        ports: [{ port: 80 }],
      }),
      svc(
        'b',
        {
          type: 'LoadBalancer',
          clusterIP: '10.0.0.2',
          loadBalancerSourceRanges: ['nope'],
          ports: [{ port: 80 }],
        },
        {
          status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'Proxy' }] } },
        },
      ),
    ];
    const slices = [
      slice('b-1', 'b', {
        ports: [{ name: null, port: 80 }],
        endpoints: [{ addresses: ['10.1.1.1', '10.1.1.2'] }, { addresses: ['fd00::1'] }],
      }),
      { ...slice('c-1', 'c', {}), metadata: { name: 'c-1', namespace: 'ns1' } },
      slice('d-1', 'd', {}),
    ];
    const issues = proxyInputIssues(services, slices, 4);
    expect(issues.map((i) => i.path)).toEqual([
      'services[0].spec.clusterIP',
      'services[0].spec.externalTrafficPolicy',
      'services[1].spec.loadBalancerSourceRanges[0]',
      'services[1].status.loadBalancer.ingress[0]',
      'endpointSlices[0].ports[0]',
      'endpointSlices[0].endpoints[0].addresses',
      'endpointSlices[0].endpoints[1].addresses[0]',
      'endpointSlices[1].metadata.labels',
      'endpointSlices[2].metadata.labels',
    ]);
  });
});

describe('endpointSlicesFromPods with publishNotReadyAddresses', () => {
  it('marks every pod ready but keeps serving as the pod readiness', () => {
    const s = svc('p', {
      clusterIP: 'None',
      selector: { app: 'x' },
      publishNotReadyAddresses: true,
      ports: [{ port: 80 }],
    });
    const [sl] = endpointSlicesFromPods(
      [s],
      [
        {
          metadata: { name: 'a', namespace: 'ns1', labels: { app: 'x' } },
          status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'False' }] },
        },
      ],
    );
    expect(sl?.endpoints?.[0]?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });
});
