import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadKubeConfig } from './kube-config.js';

describe('loadKubeConfig --in-cluster', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'svcpath-in-cluster-'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(root, { recursive: true, force: true });
  });

  const serviceAccount = (files: Record<string, string>): void => {
    const dir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  };

  it("uses the pod's service account: the API's Service address, its CA and the token as bearer", async () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    serviceAccount({
      token: 'sa-token-of-the-pod',
      'ca.crt': 'not checked before a connection',
      namespace: 'svcpath',
    });
    const { kubeConfig, name } = loadKubeConfig({ inCluster: true, inClusterRoot: root });
    expect(name).toBe('in-cluster');
    expect(kubeConfig.getCurrentCluster()).toMatchObject({
      server: 'https://10.96.0.1:443',
      caFile: join(root, 'var/run/secrets/kubernetes.io/serviceaccount/ca.crt'),
      skipTLSVerify: false,
    });
    const options = await kubeConfig.applyToFetchOptions({});
    // client-node's fetch options carry node-fetch Headers.
    const headers = options.headers as { get(name: string): string | null } | undefined;
    expect(headers?.get('authorization')).toBe('Bearer sa-token-of-the-pod');
  });

  it('brackets an IPv6 API address', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', 'fd00:10:96::1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    serviceAccount({ token: 't', 'ca.crt': '' });
    expect(
      loadKubeConfig({ inCluster: true, inClusterRoot: root }).kubeConfig.getCurrentCluster()?.server,
    ).toBe('https://[fd00:10:96::1]:443');
  });

  it('says it is not in a pod when the API Service variables are missing', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '');
    expect(() => loadKubeConfig({ inCluster: true, inClusterRoot: root })).toThrow(
      /not a pod; use --kubeconfig/,
    );
  });

  it('names the token file when the pod has no service account token', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    expect(() => loadKubeConfig({ inCluster: true, inClusterRoot: root })).toThrow(
      /no service account token at .*serviceaccount\/token \(is automountServiceAccountToken off/,
    );
  });
});
