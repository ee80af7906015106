import type { ResourceKind } from './types.js';

/** What a request path asks for. */
export type Route =
  | { type: 'resource'; kind: ResourceKind; namespace?: string; name?: string }
  | { type: 'discovery'; body: unknown }
  | { type: 'unknown' };

const CORE_KINDS: Record<string, ResourceKind> = {
  services: 'services',
  pods: 'pods',
  nodes: 'nodes',
  configmaps: 'configmaps',
  secrets: 'secrets',
};
const CLUSTER_SCOPED = new Set<ResourceKind>(['nodes']);

export const API_GROUP_PATHS: Record<ResourceKind, string> = {
  services: '/api/v1',
  pods: '/api/v1',
  nodes: '/api/v1',
  configmaps: '/api/v1',
  secrets: '/api/v1',
  endpointslices: '/apis/discovery.k8s.io/v1',
};

export const LIST_KINDS: Record<ResourceKind, { apiVersion: string; kind: string }> = {
  services: { apiVersion: 'v1', kind: 'ServiceList' },
  pods: { apiVersion: 'v1', kind: 'PodList' },
  nodes: { apiVersion: 'v1', kind: 'NodeList' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMapList' },
  secrets: { apiVersion: 'v1', kind: 'SecretList' },
  endpointslices: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSliceList' },
};

const OBJECT_KINDS: Record<ResourceKind, string> = {
  services: 'Service',
  pods: 'Pod',
  nodes: 'Node',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  endpointslices: 'EndpointSlice',
};

export function objectKindOf(kind: ResourceKind): { apiVersion: string; kind: string } {
  return { apiVersion: LIST_KINDS[kind].apiVersion, kind: OBJECT_KINDS[kind] };
}

/** Minimal discovery documents, enough for clients that look before they list. */
const DISCOVERY: Record<string, unknown> = {
  '/version': { major: '1', minor: '33', gitVersion: 'v1.33.0-svcpath-test-double', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'discovery.k8s.io',
        versions: [{ groupVersion: 'discovery.k8s.io/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'discovery.k8s.io/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: (['services', 'pods', 'nodes', 'configmaps', 'secrets'] as const).map((kind) => ({
      name: kind,
      singularName: OBJECT_KINDS[kind].toLowerCase(),
      namespaced: !CLUSTER_SCOPED.has(kind),
      kind: OBJECT_KINDS[kind],
      verbs: ['get', 'list', 'watch'],
    })),
  },
  '/apis/discovery.k8s.io/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'discovery.k8s.io/v1',
    resources: [
      {
        name: 'endpointslices',
        singularName: 'endpointslice',
        namespaced: true,
        kind: 'EndpointSlice',
        verbs: ['get', 'list', 'watch'],
      },
    ],
  },
};

/**
 * Maps an API path to a resource: `/api/v1/{kind}`, `/api/v1/namespaces/{ns}/{kind}[/{name}]`,
 * `/api/v1/nodes/{name}` and the same under `/apis/discovery.k8s.io/v1` for endpointslices.
 */
export function parseRoute(pathname: string): Route {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const discovery = DISCOVERY[trimmed];
  if (discovery !== undefined) return { type: 'discovery', body: discovery };

  let rest: string[];
  let kinds: Record<string, ResourceKind>;
  if (trimmed.startsWith('/api/v1/')) {
    rest = trimmed.slice('/api/v1/'.length).split('/');
    kinds = CORE_KINDS;
  } else if (trimmed.startsWith('/apis/discovery.k8s.io/v1/')) {
    rest = trimmed.slice('/apis/discovery.k8s.io/v1/'.length).split('/');
    kinds = { endpointslices: 'endpointslices' };
  } else {
    return { type: 'unknown' };
  }
  const segments = rest.map((s) => decodeURIComponent(s));

  let namespace: string | undefined;
  if (segments[0] === 'namespaces' && segments.length >= 3) {
    namespace = segments[1];
    segments.splice(0, 2);
  }
  const [plural, name, ...extra] = segments;
  const kind = plural === undefined ? undefined : kinds[plural];
  if (kind === undefined || extra.length > 0) return { type: 'unknown' };
  if (CLUSTER_SCOPED.has(kind) && namespace !== undefined) return { type: 'unknown' };
  // A namespaced object is only addressable by name inside its namespace.
  if (!CLUSTER_SCOPED.has(kind) && name !== undefined && namespace === undefined) return { type: 'unknown' };
  return {
    type: 'resource',
    kind,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}
