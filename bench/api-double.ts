// Child process for the server sections: the in-repo Kubernetes API test double (not a cluster) on
// 127.0.0.1, loaded with the synthetic cluster. Running it apart keeps its store out of the measured
// process's memory. Prints one line `api-double <json>` with its URL once loaded, and exits when its
// stdin closes (the parent ended) or on SIGTERM.
import { startTestApiServer } from '@svcpath/test-apiserver';
import type { StoredObject } from '@svcpath/test-apiserver';
import { syntheticCluster } from './synthetic-cluster.js';

export interface ApiDoubleInfo {
  url: string;
  services: number;
  endpointSlices: number;
  nodes: number;
  endpoints: number;
  loadMs: number;
}

const services = Number(process.argv[2] ?? '10000');
const endpointsPerService = Number(process.argv[3] ?? '5');

const stored = (o: object): StoredObject => JSON.parse(JSON.stringify(o)) as StoredObject;

const api = await startTestApiServer({ historyLimit: 10_000 });
const t0 = Date.now();
const cluster = syntheticCluster(services, endpointsPerService);
for (const s of cluster.services) api.upsert('services', stored(s));
for (const s of cluster.endpointSlices) api.upsert('endpointslices', stored(s));
for (const n of cluster.nodes) api.upsert('nodes', stored(n));
api.upsert('configmaps', {
  metadata: { name: 'kube-proxy', namespace: 'kube-system' },
  data: {
    'config.conf':
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\nclusterCIDR: 10.32.0.0/11\n',
  },
});
const info: ApiDoubleInfo = {
  url: api.url,
  services: cluster.services.length,
  endpointSlices: cluster.endpointSlices.length,
  nodes: cluster.nodes.length,
  endpoints: cluster.endpointSlices.reduce((n, s) => n + (s.endpoints ?? []).length, 0),
  loadMs: Date.now() - t0,
};
process.stdout.write(`api-double ${JSON.stringify(info)}\n`);

const stop = (): void => {
  void api.close().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
