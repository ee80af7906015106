// The server over its Kubernetes source syncing 10,000 Services + 10,000 EndpointSlices (50,000
// endpoints): time until every resource is ready and the API lists every Service, and the memory the
// server then holds.
import { buildServer, KubeClusterSource } from '@svcpath/server';
import type { SourceStatus } from '@svcpath/server';
import type { ApiDoubleInfo } from '../api-double.js';
import { startHelper } from '../child-process.js';
import { writeKubeconfig, KUBE_CONTEXT } from '../kubeconfig.js';
import { peakRssMb, report } from '../measure.js';

const S = 'server sync';
const rssMb = (): number => process.memoryUsage().rss / 1024 / 1024;
const heapMb = (): number => process.memoryUsage().heapUsed / 1024 / 1024;
const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) for (let i = 0; i < 3; i++) g();
};

process.stdout.write(
  'The API is @svcpath/test-apiserver, an in-repo test double of the Kubernetes API, on loopback in its own\n' +
    'process: no network latency, no real kube-apiserver (its own costs: JSON encoding, paging, etc.).\n',
);
const double = await startHelper<ApiDoubleInfo>('api-double.ts', 'api-double', ['10000', '5']);
const { info } = double;
process.stdout.write(
  `double loaded ${info.services} Services, ${info.endpointSlices} EndpointSlices (${info.endpoints} endpoints), ${info.nodes} Nodes in ${info.loadMs} ms\n`,
);
const kubeconfig = writeKubeconfig(info.url);
const source = new KubeClusterSource({
  kubeconfig: kubeconfig.path,
  context: KUBE_CONTEXT,
  startTimeoutMs: 120_000,
});
gc();
const before = rssMb();

const complete = (s: SourceStatus): boolean =>
  s.state === 'ready' &&
  s.resources.services.count === info.services &&
  s.resources.endpointslices.count === info.endpointSlices &&
  s.resources.nodes.count === info.nodes;

try {
  const t0 = performance.now();
  let readyAt: number | null = null;
  source.onStatus((s) => {
    if (readyAt === null && s.state === 'ready') readyAt = performance.now();
  });
  // buildServer starts the source (first list of every resource) and builds its model from it.
  const app = await buildServer({ source, collectors: { agents: false } });
  const built = performance.now() - t0;
  const listed = async (): Promise<number> => {
    const res = await app.inject({ method: 'GET', url: '/api/services?limit=1' });
    return res.statusCode === 200 ? res.json<{ total: number }>().total : -1;
  };
  const deadline = Date.now() + 120_000;
  let total = await listed();
  while ((!complete(source.status()) || total !== info.services) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    total = await listed();
  }
  const synced = performance.now() - t0;
  const status = source.status();
  if (!complete(status) || total !== info.services) {
    process.stdout.write(`not synced after 120 s (the API lists ${total}): ${JSON.stringify(status)}\n`);
    process.exitCode = 1;
  } else {
    if (readyAt !== null) report(S, 'source status ready (every resource listed)', readyAt - t0, 'ms');
    report(S, 'buildServer resolved (source started, model built)', built, 'ms');
    report(S, `GET /api/services lists all ${info.services} Services`, synced, 'ms', '≤ 10000');
    report(S, 'RSS before start (node, tsx, server code loaded)', before, 'MB');
    report(S, 'RSS after sync', rssMb(), 'MB');
    gc();
    report(S, 'RSS after sync and a forced GC (steady memory)', rssMb(), 'MB', '≤ 500');
    report(S, 'JS heap used after the forced GC', heapMb(), 'MB');
    report(S, 'peak memory while syncing', peakRssMb(), 'MB');
  }
  await app.close();
} finally {
  source.stop();
  kubeconfig.cleanup();
  await double.stop();
}
// Timers of client-node may linger a moment after stop(); the figures are out.
process.exit();
