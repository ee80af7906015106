import { describe, it, expect } from 'vitest';
import { initialResources, overallState, statusKey } from './status.js';
import type { ResourceSyncState, SourceResource } from './types.js';

const with_ = (states: Partial<Record<SourceResource, ResourceSyncState>>) => {
  const resources = initialResources();
  for (const [r, state] of Object.entries(states) as Array<[SourceResource, ResourceSyncState]>) {
    resources[r] = { state, count: 0 };
  }
  return resources;
};
const allReady = {
  services: 'ready',
  endpointslices: 'ready',
  pods: 'ready',
  nodes: 'ready',
  'kube-proxy-config': 'ready',
} as const;

describe('overallState', () => {
  it('is syncing at first and ready when everything is', () => {
    expect(overallState(initialResources())).toBe('syncing');
    expect(overallState(with_({ services: 'ready' }))).toBe('syncing');
    expect(overallState(with_(allReady))).toBe('ready');
  });

  it('is degraded when some resource fails but objects are still usable', () => {
    expect(overallState(with_({ ...allReady, pods: 'forbidden' }))).toBe('degraded');
    expect(overallState(with_({ ...allReady, services: 'stale' }))).toBe('degraded');
    expect(overallState(with_({ ...allReady, 'kube-proxy-config': 'error' }))).toBe('degraded');
  });

  it('is error when no object resource has data to offer', () => {
    expect(
      overallState(
        with_({
          services: 'error',
          endpointslices: 'forbidden',
          pods: 'error',
          nodes: 'error',
          'kube-proxy-config': 'ready',
        }),
      ),
    ).toBe('error');
    // Stale data is still data.
    expect(
      overallState(with_({ services: 'stale', endpointslices: 'error', pods: 'error', nodes: 'error' })),
    ).toBe('degraded');
  });

  it('statusKey ignores counts and times, not states or messages', () => {
    const a = { kind: 'kube' as const, name: 'c', state: 'ready' as const, resources: with_(allReady) };
    const b = structuredClone(a);
    b.resources.pods = { state: 'ready', count: 7, lastSyncedAt: '2026-01-01T00:00:00Z' };
    expect(statusKey(b)).toBe(statusKey(a));
    b.resources.pods = { state: 'ready', count: 7, message: 'note' };
    expect(statusKey(b)).not.toBe(statusKey(a));
  });
});
