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
// Not re-exported from the package root in 1.4.0; the serializer turns typed models back into
// the JSON the API sent (dates as strings, wire field names), the form watch events arrive in.
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
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

function toWire(list: TypedList, apiVersion: string, kind: string): KubernetesListObject<KubernetesObject> {
  const resourceVersion = list.metadata?.resourceVersion;
  return {
    metadata: resourceVersion !== undefined ? { resourceVersion } : {},
    items: list.items.map((item) => ({
      apiVersion,
      kind,
      // The round trip drops the keys the serializer sets to undefined.
      ...(JSON.parse(JSON.stringify(ObjectSerializer.serialize(item, `V1${kind}`))) as KubernetesObject),
    })),
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
    call: (o: ConfigurationOptions) => Promise<{ metadata?: { resourceVersion?: string }; items: unknown[] }>,
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
