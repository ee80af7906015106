// One Service with many endpoints (in slices of 100, the EndpointSlice controller's size) on the
// benchmark nodes: the web section's large graph.
import type { ClusterState, EndpointSlice, Service } from '@svcpath/core';
import { syntheticCluster } from './synthetic-cluster.js';

export const BIG_SERVICE = { namespace: 'ns-big', name: 'big-1000' } as const;

export function bigService(endpoints: number): ClusterState {
  const { name, namespace: ns } = BIG_SERVICE;
  const service: Service = {
    metadata: { name, namespace: ns, uid: 'uid-big', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.100.0.1',
      selector: { app: name },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
    },
  };
  const slices: EndpointSlice[] = [];
  for (let s = 0; s * 100 < endpoints; s++) {
    slices.push({
      metadata: { name: `${name}-${s}`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: Array.from({ length: Math.min(100, endpoints - s * 100) }, (_, e) => ({
        addresses: [`10.50.${s}.${e + 1}`],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: `bench-node-${(e % 3) + 1}`,
      })),
    });
  }
  const nodes = syntheticCluster(0, 0).nodes;
  return { services: [service], endpointSlices: slices, pods: [], nodes };
}
