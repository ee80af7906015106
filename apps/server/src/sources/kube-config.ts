import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

/** Where a pod's service account files are (client-node reads them from there). */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to reach the API: a kubeconfig file (or the default one) and context, or in-cluster. */
export interface KubeConnectionOptions {
  /** Path of a kubeconfig file; default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use instead of the file's current context. */
  context?: string;
  /** Use the pod's service account (ignores kubeconfig and context). */
  inCluster?: boolean;
  /** Root the service account directory is under (default `/`); tests point it at a scratch directory. */
  inClusterRoot?: string;
}

/** A mistake in how the API is to be reached (file, context, service account): the operator's to fix. */
export class KubeConfigError extends Error {}

/**
 * Loads the client configuration. Throws with a clear message for configuration mistakes
 * (missing file, unknown context): those are the operator's to fix, not runtime failures.
 */
export function loadKubeConfig(opts: KubeConnectionOptions): { kubeConfig: KubeConfig; name: string } {
  const kc = new KubeConfig();
  if (opts.inCluster) {
    loadInCluster(kc, opts.inClusterRoot ?? '');
    return { kubeConfig: kc, name: 'in-cluster' };
  }
  try {
    if (opts.kubeconfig !== undefined) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new KubeConfigError(`cannot load kubeconfig ${opts.kubeconfig ?? '(default)'}: ${why}`, {
      cause: err,
    });
  }
  if (opts.context !== undefined) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new KubeConfigError(
        `context "${opts.context}" not found in kubeconfig (known: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) throw new KubeConfigError('kubeconfig has no cluster for its current context');
  return { kubeConfig: kc, name: kc.getCurrentContext() };
}

/**
 * The pod's service account, as client-node reads it, after checking that there is one: outside
 * a pod client-node would build `https://undefined:undefined` and fail much later, obscurely.
 */
function loadInCluster(kc: KubeConfig, root: string): void {
  if (!process.env['KUBERNETES_SERVICE_HOST'] || !process.env['KUBERNETES_SERVICE_PORT'])
    throw new KubeConfigError(
      '--in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set, so this is not a pod; use --kubeconfig',
    );
  const token = `${root}${SERVICE_ACCOUNT_DIR}/token`;
  if (!existsSync(token))
    throw new KubeConfigError(
      `--in-cluster: no service account token at ${token} (is automountServiceAccountToken off for the pod?)`,
    );
  kc.loadFromCluster(root);
}
