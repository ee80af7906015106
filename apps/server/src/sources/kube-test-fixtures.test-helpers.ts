import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredObject, TestApiServer } from '@svcpath/test-apiserver';

/** Writes a kubeconfig whose only context points at the test API double. */
export async function writeKubeconfig(
  serverUrl: string,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'svcpath-kubeconfig-'));
  const path = join(dir, 'config');
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test-double',
      '  cluster:',
      `    server: ${serverUrl}`,
      // client-node refuses plain http unless TLS verification is off; the double has no TLS.
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: tester',
      '  user:',
      '    token: not-a-real-token',
      'contexts:',
      '- name: test-double',
      '  context:',
      '    cluster: test-double',
      '    user: tester',
      'current-context: test-double',
      '',
    ].join('\n'),
  );
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const service = (namespace: string, name: string, clusterIP: string, port = 80): StoredObject => ({
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    type: 'ClusterIP',
    clusterIP,
    clusterIPs: [clusterIP],
    selector: { app: name },
    ports: [{ name: 'http', protocol: 'TCP', port, targetPort: 8080 }],
  },
});

export const endpointSlice = (
  namespace: string,
  service: string,
  suffix: string,
  ips: string[],
): StoredObject => ({
  metadata: { name: `${service}-${suffix}`, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({
    addresses: [ip],
    conditions: { ready: true, serving: true, terminating: false },
    nodeName: 'node-a',
  })),
  ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
});

export const pod = (namespace: string, name: string, ip: string, phase = 'Running'): StoredObject => ({
  metadata: { name, namespace, labels: { app: name.replace(/-\w+$/, '') } },
  spec: {
    nodeName: 'node-a',
    containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
  },
  status: { phase, podIP: ip, podIPs: [{ ip }], hostIP: '192.168.0.10' },
});

export const node = (name: string, ip: string): StoredObject => ({
  metadata: { name, labels: { 'topology.kubernetes.io/zone': 'zone-1' } },
  spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
  status: {
    addresses: [{ type: 'InternalIP', address: ip }],
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});

export const kubeProxyConfigMap = (configConf: string): StoredObject => ({
  metadata: { name: 'kube-proxy', namespace: 'kube-system' },
  data: { 'config.conf': configConf },
});

/** A small cluster state seeded into the double. */
export function seed(api: TestApiServer): void {
  api.upsert('nodes', node('node-a', '192.168.0.10'));
  api.upsert('services', service('shop', 'web', '10.96.0.10'));
  api.upsert('services', service('shop', 'api', '10.96.0.11', 8080));
  api.upsert('endpointslices', endpointSlice('shop', 'web', 'abc12', ['10.244.0.5', '10.244.0.6']));
  api.upsert('pods', pod('shop', 'web-1', '10.244.0.5'));
  api.upsert('pods', pod('shop', 'web-2', '10.244.0.6'));
  // Present in the double so that a test can check the source never asks for it.
  api.upsert('secrets', {
    metadata: { name: 'db-password', namespace: 'shop' },
    data: { password: 'c2VjcmV0' },
  });
}

/** Polls a condition (no timing assertion: fails only when it never becomes true). */
export async function eventually(cond: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
