import type { ResourceStatus, SourceResource, SourceStatus } from './types.js';
import { SOURCE_RESOURCES } from './types.js';

const OBJECT_RESOURCES: readonly SourceResource[] = ['services', 'endpointslices', 'pods', 'nodes'];

/**
 * The source's overall state from its resources: ready when all are ready, syncing while the
 * first reads are under way and nothing failed, error when no object resource has any data
 * source left (all forbidden or failing without data), degraded otherwise.
 */
export function overallState(resources: Record<SourceResource, ResourceStatus>): SourceStatus['state'] {
  const states = SOURCE_RESOURCES.map((r) => resources[r].state);
  if (states.every((s) => s === 'ready')) return 'ready';
  const failing = (s: ResourceStatus['state']): boolean =>
    s === 'forbidden' || s === 'error' || s === 'stale';
  if (!states.some(failing)) return 'syncing';
  const objectsUsable = OBJECT_RESOURCES.some((r) => {
    const s = resources[r].state;
    return s === 'ready' || s === 'stale' || s === 'syncing';
  });
  return objectsUsable ? 'degraded' : 'error';
}

export function initialResources(): Record<SourceResource, ResourceStatus> {
  return {
    services: { state: 'syncing', count: 0 },
    endpointslices: { state: 'syncing', count: 0 },
    pods: { state: 'syncing', count: 0 },
    nodes: { state: 'syncing', count: 0 },
    'kube-proxy-config': { state: 'syncing', count: 0 },
  };
}

/** What status listeners care about: states and messages, not counts or times. */
export function statusKey(status: SourceStatus): string {
  return JSON.stringify([
    status.state,
    SOURCE_RESOURCES.map((r) => [status.resources[r].state, status.resources[r].message ?? '']),
  ]);
}
