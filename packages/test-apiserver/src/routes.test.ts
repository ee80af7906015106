import { describe, it, expect } from 'vitest';
import { parseRoute } from './routes.js';

describe('parseRoute (test double paths)', () => {
  it.each([
    ['/api/v1/services', { type: 'resource', kind: 'services' }],
    ['/api/v1/namespaces/ns1/services', { type: 'resource', kind: 'services', namespace: 'ns1' }],
    ['/api/v1/namespaces/ns1/pods/p', { type: 'resource', kind: 'pods', namespace: 'ns1', name: 'p' }],
    ['/api/v1/nodes', { type: 'resource', kind: 'nodes' }],
    ['/api/v1/nodes/n1', { type: 'resource', kind: 'nodes', name: 'n1' }],
    ['/apis/discovery.k8s.io/v1/endpointslices', { type: 'resource', kind: 'endpointslices' }],
    [
      '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices',
      { type: 'resource', kind: 'endpointslices', namespace: 'a' },
    ],
    [
      '/api/v1/namespaces/kube-system/configmaps/kube-proxy',
      { type: 'resource', kind: 'configmaps', namespace: 'kube-system', name: 'kube-proxy' },
    ],
  ])('%s', (path, expected) => {
    expect(parseRoute(path)).toEqual(expected);
  });

  it.each([
    '/api/v1/endpointslices',
    '/apis/discovery.k8s.io/v1/services',
    '/api/v1/namespaces/a/nodes',
    '/api/v1/services/name-without-namespace',
    '/api/v1/namespaces/a/pods/p/log',
    '/healthz',
  ])('%s is not a resource', (path) => {
    expect(parseRoute(path)).toEqual({ type: 'unknown' });
  });

  it('serves discovery documents', () => {
    expect(parseRoute('/api')).toMatchObject({ type: 'discovery' });
    expect(parseRoute('/apis/discovery.k8s.io/v1')).toMatchObject({ type: 'discovery' });
    expect(parseRoute('/version')).toMatchObject({ type: 'discovery' });
  });
});
