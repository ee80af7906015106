import { describe, it, expect } from 'vitest';
import type { NodeDto, ServiceSummaryDto } from '@svcpath/core';
import { destinationsOf, findTraceTarget } from './trace-target.js';

const svc: ServiceSummaryDto = {
  namespace: 'default',
  name: 'web',
  type: 'NodePort',
  headless: false,
  clusterIP: '10.96.0.10',
  clusterIPs: ['10.96.0.10'],
  externalIPs: ['198.51.100.7'],
  loadBalancerIPs: [],
  ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
  endpoints: { ready: 2, total: 2 },
  sessionAffinity: 'None',
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  health: 'ok',
  healthReasons: [],
};
const node: NodeDto = {
  name: 'n1',
  mode: 'iptables',
  modeSource: 'default',
  ips: ['192.168.1.10'],
  ready: true,
  dumps: [],
  drift: 0,
};

describe('findTraceTarget', () => {
  it('recognises cluster IPs, node ports and external IPs, and nothing else', () => {
    expect(findTraceTarget([svc], [node], '10.96.0.10', 80, 'tcp')?.via).toBe('clusterIP');
    expect(findTraceTarget([svc], [node], '192.168.1.10', 30080, 'tcp')?.via).toBe('nodePort');
    expect(findTraceTarget([svc], [node], '198.51.100.7', 80, 'tcp')?.via).toBe('externalIP');
    expect(findTraceTarget([svc], [node], '10.96.0.10', 80, 'udp')).toBeNull();
    expect(findTraceTarget([svc], [node], '10.96.0.11', 80, 'tcp')).toBeNull();
  });
  it('lists every way in', () => {
    expect(destinationsOf(svc, [node]).map((d) => `${d.dst}:${d.dport}`)).toEqual([
      '10.96.0.10:80',
      '192.168.1.10:30080',
      '198.51.100.7:80',
    ]);
  });
});
