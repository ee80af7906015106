import { CoreV1Api, DiscoveryV1Api, Observable } from '@kubernetes/client-node';
import type {
  ConfigurationOptions,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import type { ConfigMapRead } from './kube-proxy-config.js';
import { KUBE_PROXY_CONFIGMAP } from './kube-proxy-config.js';

type Lister = () => Promise<KubernetesListObject<KubernetesObject>>;

export interface ResourceLists {
  services: Lister;
  endpointslices: Lister;
  pods: Lister;
  nodes: Lister;
  readKubeProxyConfigMap: () => Promise<ConfigMapRead>;
}

interface TypedList {
  metadata?: { resourceVersion?: string };
  items: unknown[];
}

/** Fields the model generator renamed because they are reserved words in TypeScript. */
const RENAMED_KEYS = new Map([
  ['_continue', 'continue'],
  ['_default', 'default'],
  ['_enum', 'enum'],
  ['_from', 'from'],
  ['_int', 'int'],
]);

/**
 * The JSON the API sent, from client-node's typed model: dates back to strings, keys the
 * generator renamed back (`_continue` → `continue`; the other renamings are in CRD schemas only),
 * undefined fields dropped. A plain walk: the generic serializer is several times slower on
 * large lists.
 */
export function toPlainJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[RENAMED_KEYS.get(key) ?? key] = toPlainJson(v);
  }
  return out;
}

function toWire(list: TypedList, apiVersion: string, kind: string): KubernetesListObject<KubernetesObject> {
  const resourceVersion = list.metadata?.resourceVersion;
  return {
    metadata: resourceVersion !== undefined ? { resourceVersion } : {},
    items: list.items.map((item) => ({ apiVersion, kind, ...(toPlainJson(item) as KubernetesObject) })),
  };
}

/**
 * Runs one API call that is aborted when it has no complete answer within `timeoutMs`: the
 * generated APIs have no timeout of their own, and a list that never returns would leave its
 * informer waiting forever instead of failing and being restarted.
 */
async function withTimeout<T>(
  what: string,
  timeoutMs: number,
  call: (options: ConfigurationOptions) => Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  // The object-style APIs take observable middleware for per-call options.
  const middleware: ObservableMiddleware = {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
  const options: ConfigurationOptions = { middleware: [middleware], middlewareMergeStrategy: 'append' };
  try {
    return await call(options);
  } catch (err) {
    if (signal.aborted) {
      const timeout = new Error(`${what}: no answer within ${timeoutMs} ms`, { cause: err });
      throw Object.assign(timeout, { code: 'ETIMEDOUT' });
    }
    throw err;
  }
}

/** The list calls behind the informers, through client-node's generated APIs. Read-only. */
export function resourceLists(kc: KubeConfig, timeoutMs = 60_000): ResourceLists {
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const listed = async (
    what: string,
    call: (o: ConfigurationOptions) => Promise<TypedList>,
    apiVersion: string,
    kind: string,
  ) => toWire(await withTimeout(what, timeoutMs, call), apiVersion, kind);
  return {
    services: () => listed('list services', (o) => core.listServiceForAllNamespaces({}, o), 'v1', 'Service'),
    endpointslices: () =>
      listed(
        'list endpointslices',
        (o) => discovery.listEndpointSliceForAllNamespaces({}, o),
        'discovery.k8s.io/v1',
        'EndpointSlice',
      ),
    pods: () => listed('list pods', (o) => core.listPodForAllNamespaces({}, o), 'v1', 'Pod'),
    nodes: () => listed('list nodes', (o) => core.listNode({}, o), 'v1', 'Node'),
    readKubeProxyConfigMap: async () => {
      try {
        const { namespace, name, key } = KUBE_PROXY_CONFIGMAP;
        const cm = await withTimeout('read kube-proxy ConfigMap', timeoutMs, (o) =>
          core.readNamespacedConfigMap({ namespace, name }, o),
        );
        return { found: true, text: cm.data?.[key] };
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && err.code === 404)
          return { found: false };
        throw err;
      }
    },
  };
}
