import { CoreV1Api, DiscoveryV1Api } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
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
      ...(ObjectSerializer.serialize(item, `V1${kind}`) as KubernetesObject),
    })),
  };
}

/** The list calls behind the informers, through client-node's generated APIs. Read-only. */
export function resourceLists(kc: KubeConfig): ResourceLists {
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  return {
    services: async () => toWire(await core.listServiceForAllNamespaces(), 'v1', 'Service'),
    endpointslices: async () =>
      toWire(await discovery.listEndpointSliceForAllNamespaces(), 'discovery.k8s.io/v1', 'EndpointSlice'),
    pods: async () => toWire(await core.listPodForAllNamespaces(), 'v1', 'Pod'),
    nodes: async () => toWire(await core.listNode(), 'v1', 'Node'),
    readKubeProxyConfigMap: async () => {
      try {
        const cm = await core.readNamespacedConfigMap({
          namespace: KUBE_PROXY_CONFIGMAP.namespace,
          name: KUBE_PROXY_CONFIGMAP.name,
        });
        return { found: true, text: cm.data?.[KUBE_PROXY_CONFIGMAP.key] };
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && err.code === 404)
          return { found: false };
        throw err;
      }
    },
  };
}
