// A large synthetic cluster for benchmarks: N ClusterIP Services with E ready endpoints each,
// every tenth a NodePort, spread over 3 nodes. Deterministic: the same N and E give the same objects.
import type { ClusterState, EndpointSlice, Node, Service } from '@svcpath/core';

export const BENCH_NODE = 'bench-node-1';
export const BENCH_NODE_IP = '192.168.10.1';

const ip = (base: number, n: number): string => `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

export function syntheticCluster(services: number, endpointsPerService: number): ClusterState {
  const svcs: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < services; i++) {
    const ns = `ns-${i % 50}`;
    const name = `svc-${i}`;
    const nodePort = i % 10 === 0 ? 30000 + ((i / 10) % 2768) : undefined;
    svcs.push({
      metadata: { name, namespace: ns, uid: `uid-${i}`, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        type: nodePort ? 'NodePort' : 'ClusterIP',
        clusterIP: ip(10, 0x600000 + i),
        selector: { app: name },
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, ...(nodePort ? { nodePort } : {}) },
        ],
      },
    });
    slices.push({
      metadata: { name: `${name}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: Array.from({ length: endpointsPerService }, (_, e) => ({
        addresses: [ip(10, 0x200000 + i * endpointsPerService + e)],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: `bench-node-${(e % 3) + 1}`,
      })),
    });
  }
  const nodes: Node[] = [1, 2, 3].map((n) => ({
    metadata: { name: `bench-node-${n}`, labels: { 'topology.kubernetes.io/zone': `zone-${n}` } },
    status: { addresses: [{ type: 'InternalIP', address: `192.168.10.${n}` }] },
  }));
  return { services: svcs, endpointSlices: slices, pods: [], nodes };
}
