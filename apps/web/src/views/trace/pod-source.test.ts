import { describe, expect, it } from 'vitest';
import type { NodeDto, PodDto } from '@svcpath/core';
import { podKey, podNodeOffer, podSourceIp, podWithIp } from './pod-source.js';

const pod = (over: Partial<PodDto>): PodDto => ({
  namespace: 'default',
  name: 'client',
  node: 'n1',
  podIPs: ['10.1.0.5'],
  hostNetwork: false,
  phase: 'Running',
  ready: true,
  labels: {},
  ...over,
});

const node = (name: string): NodeDto => ({
  name,
  mode: 'iptables',
  modeSource: 'default',
  ips: ['192.168.1.10'],
  ready: true,
  dumps: [],
  drift: null,
});

describe('podSourceIp', () => {
  const dual = pod({ podIPs: ['10.1.0.5', 'fd00::5'] });
  const v6First = pod({ podIPs: ['fd00::5', '10.1.0.5'] });

  it("takes the pod's address of the destination's family", () => {
    expect(podSourceIp(dual, '10.96.0.10')).toBe('10.1.0.5');
    expect(podSourceIp(dual, 'fd00:96::a')).toBe('fd00::5');
    expect(podSourceIp(v6First, '10.96.0.10')).toBe('10.1.0.5');
    expect(podSourceIp(v6First, ' fd00:96::a ')).toBe('fd00::5');
  });

  it('takes the first address while the destination is not chosen yet', () => {
    expect(podSourceIp(v6First, '')).toBe('fd00::5');
    expect(podSourceIp(dual, '  ')).toBe('10.1.0.5');
  });

  it("keeps the current source when it is the pod's and of the right family", () => {
    const two = pod({ podIPs: ['10.1.0.5', '10.1.0.6', 'fd00::5'] });
    expect(podSourceIp(two, '10.96.0.10', '10.1.0.6')).toBe('10.1.0.6');
    expect(podSourceIp(two, '', '10.1.0.6')).toBe('10.1.0.6');
    // Another family's destination moves it; someone else's address is replaced.
    expect(podSourceIp(two, 'fd00:96::a', '10.1.0.6')).toBe('fd00::5');
    expect(podSourceIp(two, '10.96.0.10', '10.9.9.9')).toBe('10.1.0.5');
  });

  it('falls back to what the pod has, and to null for a pod without an address', () => {
    expect(podSourceIp(pod({ podIPs: ['10.1.0.5'] }), 'fd00:96::a')).toBe('10.1.0.5');
    expect(podSourceIp(pod({ podIPs: [] }), '10.96.0.10')).toBeNull();
  });
});

describe('podWithIp', () => {
  it('names the one running pod with exactly that address', () => {
    const a = pod({ name: 'a', podIPs: ['10.1.0.5'] });
    const b = pod({ name: 'b', podIPs: ['10.1.0.50'] });
    expect(podWithIp([a, b], '10.1.0.5')).toBe(a);
    expect(podWithIp([a, b], '10.1.0.7')).toBeNull();
  });

  it('names no one for a node address shared by hostNetwork pods, or an address held twice', () => {
    const proxy = pod({ name: 'kube-proxy', podIPs: ['192.168.1.10'], hostNetwork: true });
    expect(podWithIp([proxy], '192.168.1.10')).toBeNull();
    const a = pod({ name: 'a' });
    const b = pod({ name: 'b' });
    expect(podWithIp([a, b], '10.1.0.5')).toBeNull();
  });

  it('passes over finished pods whose address may be reused', () => {
    const done = pod({ name: 'job-1', phase: 'Succeeded' });
    const now = pod({ name: 'web' });
    expect(podWithIp([done, now], '10.1.0.5')).toBe(now);
    expect(podWithIp([done], '10.1.0.5')).toBeNull();
  });
});

describe('podNodeOffer', () => {
  const nodes = [node('n1'), node('n2')];

  it("offers the pod's node when the trace runs elsewhere or on no node yet", () => {
    expect(podNodeOffer(pod({ node: 'n2' }), 'n1', nodes)).toBe('n2');
    expect(podNodeOffer(pod({ node: 'n2' }), '', nodes)).toBe('n2');
    expect(podNodeOffer(pod({ node: 'n2', hostNetwork: true }), 'n1', nodes)).toBe('n2');
  });

  it('offers nothing when it already runs there, for a pending pod, or for an unknown node', () => {
    expect(podNodeOffer(pod({ node: 'n1' }), 'n1', nodes)).toBeNull();
    expect(podNodeOffer(pod({ node: null }), 'n1', nodes)).toBeNull();
    expect(podNodeOffer(pod({ node: 'n9' }), 'n1', nodes)).toBeNull();
  });
});

it('names a pod namespace/name', () => {
  expect(podKey(pod({}))).toBe('default/client');
});
