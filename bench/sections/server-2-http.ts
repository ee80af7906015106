// HTTP latency of the server holding the 10,000-Service cluster and a 10,000-Service iptables dump,
// under 50 concurrent clients (autocannon, 127.0.0.1 only, ~10 s per route). The server runs in its
// own process so that the load generator does not share its event loop. Each route is measured
// twice: all clients asking one question (the server answers it again from its memo after the
// first time) and 2,000 different questions in turn (nearly every answer is computed afresh).
import { createRequire } from 'node:module';
import { startHelper } from '../child-process.js';
import { peakRssMb, report, timeOnce } from '../measure.js';
import { writeSnapshotDir } from '../snapshot-dir.js';
import { BENCH_NODE, syntheticCluster } from '../synthetic-cluster.js';

const S = 'server HTTP';
const CONNECTIONS = 50;
const DURATION_S = 10;

/** The part of autocannon's programmatic API used here (the package has no types). */
interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonRequest {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions extends AutocannonRequest {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  /** Each request is built by `setupRequest` from the one before. */
  requests?: Array<AutocannonRequest & { setupRequest?: (r: AutocannonRequest) => AutocannonRequest }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: AutocannonOptions,
) => Promise<AutocannonResult>;

const cluster = syntheticCluster(10_000, 5);

const snapshot = writeSnapshotDir(cluster);
const server = await startHelper<{ url: string; startMs: number }>('server-process.ts', 'server', [
  snapshot.dir,
]);
const base = server.info.url;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error(`the server is not on loopback: ${base}`);
process.stdout.write(
  `server over a snapshot of 10,000 Services (50,000 endpoints) at ${base}, started in ${server.info.startMs} ms\n`,
);

try {
  // The node's dump is what kube-proxy writes there for this cluster (no drift), as the server
  // itself generates it.
  const expected = await fetch(`${base}/api/nodes/${BENCH_NODE}/expected/iptables`);
  if (expected.status !== 200) throw new Error(`expected rules answered ${expected.status}`);
  const dump = await expected.text();
  const upload = await (async () => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/nodes/${BENCH_NODE}/dumps/iptables`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: dump,
    });
    return { ms: performance.now() - t0, status: res.status, body: await res.text() };
  })();
  if (upload.status !== 200)
    throw new Error(`dump upload answered ${upload.status}: ${upload.body.slice(0, 300)}`);
  report(
    S,
    `PUT the iptables dump (${(dump.length / 1e6).toFixed(1)} MB, parsed on upload)`,
    upload.ms,
    'ms',
  );

  // Drift needs the node's expected rules (generate, parse, graph) and its dump's graph: seconds
  // here. Lists answer within a time budget and the drift follows in the background.
  {
    const t0 = performance.now();
    const nodes = (await (await fetch(`${base}/api/nodes`)).json()) as {
      items: Array<{ name: string; drift: number | null; driftPending?: boolean }>;
    };
    report(S, 'GET /api/nodes after the upload (drift pending)', performance.now() - t0, 'ms');
    let pending = nodes.items.some((n) => n.driftPending);
    while (pending && performance.now() - t0 < 60_000) {
      await new Promise((r) => setTimeout(r, 50));
      const again = (await (await fetch(`${base}/api/nodes`)).json()) as typeof nodes;
      pending = again.items.some((n) => n.driftPending);
    }
    if (pending) throw new Error('drift was still pending after 60 s');
    report(S, "the node's drift computed in the background (from the request)", performance.now() - t0, 'ms');
  }
  const tracePacket = (src: string): string =>
    JSON.stringify({ node: BENCH_NODE, src, dst: '10.96.0.25', dport: 80, proto: 'tcp' });
  const DISTINCT = 2000;
  // Pod addresses of the synthetic cluster's range, one per question; queries like a person typing.
  const distinctSource = (i: number): string => `10.40.${Math.floor(i / 250) + 1}.${(i % 250) + 1}`;
  const distinctQuery = (i: number): string => `svc-${100 + i}`;
  const json = { 'content-type': 'application/json' };
  const routes: Array<{
    name: string;
    target: string;
    first: AutocannonRequest;
    next?: (i: number) => AutocannonRequest;
  }> = [
    { name: 'GET /api/services?limit=100', target: '≤ 50', first: { path: '/api/services?limit=100' } },
    {
      name: 'GET /api/services?limit=100&q=svc-12 (filtered, one query)',
      target: '≤ 50',
      first: { path: '/api/services?limit=100&q=svc-12' },
    },
    {
      name: `GET /api/services?limit=100&q=… (filtered, ${DISTINCT} queries)`,
      target: '≤ 50',
      first: { path: `/api/services?limit=100&q=${distinctQuery(0)}` },
      next: (i) => ({ path: `/api/services?limit=100&q=${distinctQuery(i)}` }),
    },
    {
      name: 'POST /api/trace (ClusterIP packet, one packet)',
      target: '≤ 20',
      first: { method: 'POST', path: '/api/trace', headers: json, body: tracePacket('10.40.1.7') },
    },
    {
      name: `POST /api/trace (ClusterIP packet, ${DISTINCT} sources)`,
      target: '≤ 20',
      first: { method: 'POST', path: '/api/trace', headers: json, body: tracePacket(distinctSource(0)) },
      next: (i) => ({
        method: 'POST',
        path: '/api/trace',
        headers: json,
        body: tracePacket(distinctSource(i)),
      }),
    },
  ];
  for (const r of routes) {
    const init =
      r.first.method === 'POST' ? { method: 'POST', headers: r.first.headers, body: r.first.body } : {};
    // One request first: it checks the answer and builds what the route caches (first-request cost).
    const first = timeOnce(() => fetch(`${base}${r.first.path ?? '/'}`, init));
    const res = await first.value;
    const t1 = performance.now();
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${r.name} answered ${res.status}: ${text.slice(0, 300)}`);
    report(S, `${r.name}: first request`, performance.now() - t1 + first.ms, 'ms');
    let n = 0;
    const next = r.next;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      timeout: 10,
      requests: [
        next ? { ...r.first, setupRequest: (req) => ({ ...req, ...next(++n % DISTINCT) }) } : r.first,
      ],
    });
    const failed = result.errors + result.timeouts + result.non2xx;
    if (failed > 0)
      process.stdout.write(`${r.name}: ${failed} failed requests of ${result.requests.total}\n`);
    report(S, `${r.name}: p50, ${CONNECTIONS} clients`, result.latency.p50, 'ms');
    report(S, `${r.name}: p99, ${CONNECTIONS} clients`, result.latency.p99, 'ms', r.target);
    report(S, `${r.name}: requests per second`, result.requests.average, 'req/s');
  }
  const mem = server.memory();
  if (mem) {
    report(S, 'server process RSS after the load', mem.rssMb, 'MB');
    report(S, 'server process peak RSS', mem.peakRssMb, 'MB');
  }
  // What the server holds (cluster, parsed 18 MB dump, memos) once the load's garbage is collected.
  server.child.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const held = server.memory();
  if (held) report(S, 'server process RSS after the load and a forced GC', held.rssMb, 'MB', '≤ 500');
  report(S, 'load generator process peak RSS', peakRssMb(), 'MB');
} finally {
  await server.stop();
  snapshot.cleanup();
}
