// Property: for any cluster, the generated ruleset parses cleanly, and tracing a pod's packet to
// each Service port reaches exactly that port's ready endpoints, each with probability 1/n.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateIptables } from '../../iptables/generate.js';
import { parseIptables } from '../../iptables/parse.js';
import { defaultProxySettings } from '../../model/proxy-config.js';
import type { EndpointSlice, Service } from '../../model/types.js';
import { traceIptables } from './trace.js';

const NODE_IP = '192.168.7.1';

interface PortSpec {
  proto: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  endpoints: number;
  ready: boolean[];
}

const portSpec = fc.record({
  proto: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
  port: fc.integer({ min: 1, max: 65535 }),
  endpoints: fc.integer({ min: 0, max: 7 }),
  ready: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
});

const serviceSpec = fc.record({
  ports: fc.uniqueArray(portSpec, { minLength: 1, maxLength: 3, selector: (p) => `${p.proto}/${p.port}` }),
  affinity: fc.boolean(),
  nodePort: fc.boolean(),
});

function build(specs: Array<{ ports: PortSpec[]; affinity: boolean; nodePort: boolean }>): {
  services: Service[];
  endpointSlices: EndpointSlice[];
} {
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  specs.forEach((spec, i) => {
    const name = `svc-${i}`;
    services.push({
      metadata: { name, namespace: 'ns' },
      spec: {
        type: spec.nodePort ? 'NodePort' : 'ClusterIP',
        clusterIP: `10.96.${i >> 8}.${i & 255}`,
        ...(spec.affinity ? { sessionAffinity: 'ClientIP' as const } : {}),
        ports: spec.ports.map((p, j) => ({
          name: `p${j}`,
          protocol: p.proto,
          port: p.port,
          ...(spec.nodePort ? { nodePort: 30000 + i * 4 + j } : {}),
        })),
      },
    });
    endpointSlices.push({
      metadata: { name: `${name}-1`, namespace: 'ns', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: spec.ports.map((p, j) => ({ name: `p${j}`, protocol: p.proto, port: 8000 + j })),
      endpoints: Array.from({ length: Math.max(...spec.ports.map((p) => p.endpoints)) }, (_, e) => ({
        addresses: [`10.244.${i}.${e + 10}`],
        conditions: { ready: spec.ports[0]?.ready[e] ?? true },
        nodeName: e % 2 === 0 ? 'node-1' : 'node-2',
      })),
    });
  });
  return { services, endpointSlices };
}

describe('generated rulesets for random clusters', () => {
  it('parse without issues and trace to 1/n per ready endpoint, probabilities summing to 1', () => {
    fc.assert(
      fc.property(fc.array(serviceSpec, { minLength: 1, maxLength: 6 }), (specs) => {
        const cluster = build(specs);
        const settings = {
          ...defaultProxySettings('node-1', [NODE_IP]),
          clusterCIDRs: ['10.244.0.0/16'],
          detectLocalMode: 'ClusterCIDR' as const,
        };
        const { text } = generateIptables(cluster, settings, { family: 4, format: 'save' });
        const rs = parseIptables(text);
        expect(rs.issues.filter((i) => i.severity === 'error')).toEqual([]);
        cluster.services.forEach((svc, i) => {
          const slice = cluster.endpointSlices[i];
          const ready = (slice?.endpoints ?? [])
            .filter((e) => e.conditions?.ready !== false)
            .map((e) => e.addresses[0]);
          for (const [j, p] of (svc.spec.ports ?? []).entries()) {
            const proto = (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp';
            const r = traceIptables(
              rs,
              { src: '10.244.200.9', dst: svc.spec.clusterIP ?? '', dport: p.port, proto },
              { localAddresses: [NODE_IP] },
            );
            expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
            const reached = r.outcomes.filter((o) => o.verdict === 'ACCEPT' && o.dnat !== null);
            if (ready.length === 0) {
              expect(r.outcomes.map((o) => o.verdict)).toEqual(['REJECT']);
              continue;
            }
            expect(reached.map((o) => o.dnat).sort()).toEqual(ready.map((a) => `${a}:${8000 + j}`).sort());
            for (const o of reached) expect(o.probability).toBeCloseTo(1 / ready.length, 8);
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});
