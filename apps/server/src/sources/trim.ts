import type { KubernetesObject } from '@kubernetes/client-node';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies the listed keys that are present (absent stays absent, as the API would send it). */
function pick(from: unknown, keys: readonly string[]): Obj | undefined {
  if (!isObj(from)) return undefined;
  const out: Obj = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function trimMetadata(meta: unknown): Obj | undefined {
  if (!isObj(meta)) return undefined;
  const { managedFields: _managed, ...rest } = meta;
  const annotations = rest['annotations'];
  if (isObj(annotations) && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...others } = annotations;
    rest['annotations'] = others;
  }
  return rest;
}

function trimPod(pod: Obj): Obj {
  const spec = pick(pod['spec'], ['nodeName', 'hostNetwork', 'hostname', 'subdomain', 'containers']);
  if (spec && Array.isArray(spec['containers'])) {
    spec['containers'] = spec['containers'].map((c) => pick(c, ['name', 'ports']) ?? {});
  }
  const status = pick(pod['status'], ['phase', 'podIP', 'podIPs', 'hostIP', 'hostIPs', 'conditions']);
  if (status && Array.isArray(status['conditions'])) {
    status['conditions'] = status['conditions'].map((c) => pick(c, ['type', 'status']) ?? {});
  }
  return { ...pod, spec, status };
}

function trimNode(node: Obj): Obj {
  // status.images and volume lists can be large and say nothing about Services.
  const status = pick(node['status'], ['addresses', 'conditions', 'nodeInfo', 'capacity', 'allocatable']);
  return { ...node, status };
}

export type TrimmedResource = 'services' | 'endpointslices' | 'pods' | 'nodes';

/**
 * Keeps what svcpath reads of an object and drops the bulk (managedFields, last-applied
 * annotations, most of a Pod's spec and status, a Node's image list), so that a cluster of
 * 150k Pods fits in memory. Applied to listed objects and to watch events alike.
 */
export function trimObject(resource: TrimmedResource, obj: KubernetesObject): KubernetesObject {
  if (!isObj(obj)) return obj;
  const base: Obj = { ...obj, metadata: trimMetadata(obj['metadata']) };
  const trimmed = resource === 'pods' ? trimPod(base) : resource === 'nodes' ? trimNode(base) : base;
  for (const k of Object.keys(trimmed)) if (trimmed[k] === undefined) delete trimmed[k];
  return trimmed as KubernetesObject;
}
