import { describe, it, expect } from 'vitest';
import { trimObject } from './trim.js';

describe('trimObject', () => {
  it('drops managedFields and the last-applied annotation, keeps other metadata', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        namespace: 'shop',
        resourceVersion: '12',
        labels: { app: 'web' },
        annotations: { [`kubectl.kubernetes.io/last-applied-configuration`]: '{"big":true}', team: 'a' },
        managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
      },
      spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] },
    };
    expect(trimObject('services', svc)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        namespace: 'shop',
        resourceVersion: '12',
        labels: { app: 'web' },
        annotations: { team: 'a' },
      },
      spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] },
    });
  });

  it('keeps what a Pod needs for endpoints and discovery, nothing more', () => {
    const pod = {
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: {
        nodeName: 'n1',
        hostname: 'web-1',
        containers: [
          {
            name: 'app',
            image: 'nginx',
            env: [{ name: 'X', value: 'y' }],
            ports: [{ name: 'http', containerPort: 80 }],
          },
        ],
        volumes: [{ name: 'v' }],
      },
      status: {
        phase: 'Running',
        podIP: '10.0.0.5',
        podIPs: [{ ip: '10.0.0.5' }],
        hostIP: '192.168.0.1',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
        containerStatuses: [{ name: 'app', ready: true }],
      },
    };
    expect(trimObject('pods', pod)).toEqual({
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: {
        nodeName: 'n1',
        hostname: 'web-1',
        containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 80 }] }],
      },
      status: {
        phase: 'Running',
        podIP: '10.0.0.5',
        podIPs: [{ ip: '10.0.0.5' }],
        hostIP: '192.168.0.1',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  });

  it('drops a Node image list but keeps addresses, conditions and labels', () => {
    const node = {
      metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } },
      spec: { podCIDR: '10.244.0.0/24' },
      status: {
        addresses: [{ type: 'InternalIP', address: '192.168.0.1' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        images: [{ names: ['nginx'], sizeBytes: 1 }],
      },
    };
    expect(trimObject('nodes', node)).toEqual({
      metadata: node.metadata,
      spec: node.spec,
      status: { addresses: node.status.addresses, conditions: node.status.conditions },
    });
  });

  it('leaves a Pod without spec or status without them', () => {
    expect(trimObject('pods', { metadata: { name: 'p' } })).toEqual({ metadata: { name: 'p' } });
  });
});
