import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultProxySettings } from '../model/proxy-config.js';
import type { EndpointSlice, Service } from '../model/types.js';
import { generateIptables } from './generate.js';

const ipv4 = fc.oneof(fc.ipV4(), fc.constantFrom('010.1.1.1', 'bogus', ''));
const portName = fc.constantFrom('', 'p80', 'http');
const protocol = fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const);

const serviceArb = fc.record({
  name: fc.constantFrom('a', 'b', 'c'),
  type: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const, '' as const),
  clusterIP: ipv4,
  externalIPs: fc.array(ipv4, { maxLength: 2 }),
  lb: fc.array(fc.record({ ip: ipv4, proxy: fc.boolean() }), { maxLength: 2 }),
  ranges: fc.array(fc.constantFrom('203.0.113.0/25', '192.168.0.0/16', 'x'), { maxLength: 2 }),
  etp: fc.constantFrom('Cluster' as const, 'Local' as const),
  itp: fc.constantFrom('Cluster' as const, 'Local' as const),
  affinity: fc.boolean(),
  ports: fc.array(
    fc.record({
      name: portName,
      port: fc.integer({ min: 1, max: 65535 }),
      protocol,
      nodePort: fc.integer({ min: 0, max: 32767 }),
    }),
    {
      minLength: 1,
      maxLength: 2,
    },
  ),
});
const sliceArb = fc.record({
  svc: fc.constantFrom('a', 'b', 'c'),
  endpoints: fc.array(
    fc.record({
      ip: ipv4,
      local: fc.boolean(),
      ready: fc.boolean(),
      serving: fc.boolean(),
      terminating: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  ports: fc.array(fc.record({ name: portName, port: fc.integer({ min: 0, max: 65535 }), protocol }), {
    maxLength: 2,
  }),
});

type ServiceSpec = typeof serviceArb extends fc.Arbitrary<infer T> ? T : never;
type SliceSpec = typeof sliceArb extends fc.Arbitrary<infer T> ? T : never;

function toObjects(services: ServiceSpec[], slices: SliceSpec[]) {
  const svcs: Service[] = services.map((s) => ({
    metadata: { name: s.name, namespace: 'ns' },
    spec: {
      type: s.type,
      clusterIP: s.clusterIP,
      externalIPs: s.externalIPs,
      loadBalancerSourceRanges: s.ranges,
      externalTrafficPolicy: s.etp,
      internalTrafficPolicy: s.itp,
      sessionAffinity: s.affinity ? 'ClientIP' : 'None',
      healthCheckNodePort: 30000,
      ports: s.ports,
    },
    status: {
      loadBalancer: {
        ingress: s.lb.map((l) => ({ ip: l.ip, ...(l.proxy ? { ipMode: 'Proxy' as const } : {}) })),
      },
    },
  }));
  const sls: EndpointSlice[] = slices.map((s, i) => ({
    metadata: { name: `${s.svc}-${i}`, namespace: 'ns', labels: { 'kubernetes.io/service-name': s.svc } },
    addressType: 'IPv4',
    endpoints: s.endpoints.map((e) => ({
      addresses: [e.ip],
      nodeName: e.local ? 'node' : 'other',
      conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
    })),
    ports: s.ports,
  }));
  return { services: svcs, endpointSlices: sls };
}

/** kube-proxy's checkConsistency: every jump goes to a chain declared in the same table. */
function undeclaredJumps(text: string): string[] {
  const bad: string[] = [];
  for (const table of text.split(/^COMMIT$/m)) {
    const declared = new Set([...table.matchAll(/^:(\S+)/gm)].map((m) => m[1]));
    for (const m of table.matchAll(/^-A \S+ .*-j (KUBE-\S+)/gm)) if (!declared.has(m[1])) bad.push(m[0]);
  }
  return bad;
}

describe('generateIptables on arbitrary inputs', () => {
  it('never throws, declares every chain it jumps to, and ends each table with COMMIT', () => {
    fc.assert(
      fc.property(
        fc.array(serviceArb, { maxLength: 3 }),
        fc.array(sliceArb, { maxLength: 3 }),
        fc.boolean(),
        (services, slices, masqAll) => {
          const settings = {
            ...defaultProxySettings('node', ['192.168.0.2']),
            clusterCIDRs: ['10.0.0.0/8'],
            detectLocalMode: 'ClusterCIDR' as const,
            masqueradeAll: masqAll,
          };
          const { text } = generateIptables(toObjects(services, slices), settings, {
            family: 4,
            format: 'restore-input',
          });
          expect(undeclaredJumps(text)).toEqual([]);
          expect(text.match(/^COMMIT$/gm)).toHaveLength(2);
        },
      ),
      { numRuns: 300 },
    );
  });
});
