// The exec collector talks to the API with the kube source's own KubeConfig, so that both use
// the same file, context and credentials (read once, by the source).
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterSource } from '../sources/types.js';

/** A source that reached the API through a KubeConfig (undefined until it has loaded it). */
export interface KubeConfigProvider {
  kubeConfig(): KubeConfig | undefined;
}

export const isKubeConfigProvider = (s: ClusterSource): s is ClusterSource & KubeConfigProvider =>
  typeof (s as Partial<KubeConfigProvider>).kubeConfig === 'function';
