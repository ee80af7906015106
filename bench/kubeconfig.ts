// A kubeconfig whose only context points at the API test double (plain http on loopback).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBE_CONTEXT = 'bench-double';

export function writeKubeconfig(serverUrl: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'svcpath-bench-kubeconfig-'));
  const path = join(dir, 'config');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${KUBE_CONTEXT}`,
      '  cluster:',
      `    server: ${serverUrl}`,
      // client-node refuses plain http unless TLS verification is off; the double has no TLS.
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: bench',
      '  user:',
      '    token: not-a-real-token',
      'contexts:',
      `- name: ${KUBE_CONTEXT}`,
      '  context:',
      `    cluster: ${KUBE_CONTEXT}`,
      '    user: bench',
      `current-context: ${KUBE_CONTEXT}`,
      '',
    ].join('\n'),
  );
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
