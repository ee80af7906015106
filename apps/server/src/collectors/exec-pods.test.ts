import { describe, expect, it } from 'vitest';
import type { Pod } from '@svcpath/core';
import { kubeProxyContainer, kubeProxyPods, parseEqualitySelector } from './exec-pods.js';

const pod = (
  name: string,
  node: string | undefined,
  extra: Partial<Pod['metadata']> = {},
  phase = 'Running',
): Pod => ({
  metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' }, ...extra },
  spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'kube-proxy' }] },
  status: { phase },
});

const labels = { 'k8s-app': 'kube-proxy' };

describe('kube-proxy pods', () => {
  it('parses equality selectors and refuses set-based ones', () => {
    expect(parseEqualitySelector('k8s-app=kube-proxy')).toEqual({ 'k8s-app': 'kube-proxy' });
    expect(parseEqualitySelector('a==b, app.kubernetes.io/name=kp')).toEqual({
      a: 'b',
      'app.kubernetes.io/name': 'kp',
    });
    expect(parseEqualitySelector('tier in (a,b)')).toBeNull();
    expect(parseEqualitySelector('a!=b')).toBeNull();
  });

  it('takes one pod per node: running over pending, live over terminating, then the newest', () => {
    const pods = [
      pod('kp-old', 'n1', { creationTimestamp: '2026-01-01T00:00:00Z' }),
      pod('kp-new', 'n1', { creationTimestamp: '2026-02-01T00:00:00Z' }),
      pod('kp-going', 'n2', {
        creationTimestamp: '2026-03-01T00:00:00Z',
        deletionTimestamp: '2026-03-02T00:00:00Z',
      }),
      pod('kp-stays', 'n2', { creationTimestamp: '2026-01-01T00:00:00Z' }),
      pod('kp-pending', 'n3', { creationTimestamp: '2026-03-01T00:00:00Z' }, 'Pending'),
      pod('kp-running', 'n3', { creationTimestamp: '2026-01-01T00:00:00Z' }),
      pod('kp-unscheduled', undefined),
      pod('other-ns', 'n4', { namespace: 'default' }),
      pod('other-label', 'n4', { labels: { 'k8s-app': 'kube-dns' } }),
    ];
    expect(kubeProxyPods(pods, 'kube-system', labels).map((t) => `${t.node}:${t.pod.metadata.name}`)).toEqual(
      ['n1:kp-new', 'n2:kp-stays', 'n3:kp-running'],
    );
  });

  it('chooses the container: named, kube-proxy, or the only one', () => {
    const two: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    expect(kubeProxyContainer(two)).toBeNull();
    expect(kubeProxyContainer(two, 'b')).toBe('b');
    expect(kubeProxyContainer(two, 'c')).toBeNull();
    expect(kubeProxyContainer({ metadata: { name: 'p' }, spec: { containers: [{ name: 'proxy' }] } })).toBe(
      'proxy',
    );
    expect(kubeProxyContainer(pod('p', 'n'))).toBe('kube-proxy');
  });
});
