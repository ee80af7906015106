import { KubeConfig } from '@kubernetes/client-node';

/** How to reach the API: a kubeconfig file (or the default one) and context, or in-cluster. */
export interface KubeConnectionOptions {
  /** Path of a kubeconfig file; default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use instead of the file's current context. */
  context?: string;
  /** Use the pod's service account (ignores kubeconfig and context). */
  inCluster?: boolean;
}

/**
 * Loads the client configuration. Throws with a clear message for configuration mistakes
 * (missing file, unknown context): those are the operator's to fix, not runtime failures.
 */
export function loadKubeConfig(opts: KubeConnectionOptions): { kubeConfig: KubeConfig; name: string } {
  const kc = new KubeConfig();
  if (opts.inCluster) {
    kc.loadFromCluster();
    return { kubeConfig: kc, name: 'in-cluster' };
  }
  try {
    if (opts.kubeconfig !== undefined) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot load kubeconfig ${opts.kubeconfig ?? '(default)'}: ${why}`, { cause: err });
  }
  if (opts.context !== undefined) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(
        `context "${opts.context}" not found in kubeconfig (known: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) throw new Error('kubeconfig has no cluster for its current context');
  return { kubeConfig: kc, name: kc.getCurrentContext() };
}
