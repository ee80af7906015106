// The web app: first-load size (gzip) and, in headless Chromium against the real server serving
// apps/web/dist, the 10,000-row overview and a 1,000-endpoint Service graph. Selectors are ARIA roles
// and the graph's SVG classes, matched loosely so that layout changes of the app do not break them.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defaultProxySettings, generateIptables } from '@svcpath/core';
import type { ClusterState } from '@svcpath/core';
import { chromium, type Browser } from 'playwright-core';
import { bigService } from '../big-service.js';
import { startHelper, type HelperProcess } from '../child-process.js';
import { report } from '../measure.js';
import { writeSnapshotDir } from '../snapshot-dir.js';
import { BENCH_NODE, BENCH_NODE_IP, syntheticCluster } from '../synthetic-cluster.js';

const S = 'web';
const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'web', 'dist');
const CHROMIUM = '/usr/bin/chromium';
const RUNS = 3;
// The app's CSP forbids eval; the timing probes are evaluated strings, so the harness bypasses it.

// ---- first-load size: what index.html loads before any lazy route chunk ----
const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
const attr = (tag: string, name: string): string | undefined =>
  new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
const initial = new Set<string>();
for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
  const src = attr(tag, 'src');
  if (src) initial.add(src);
}
for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
  const rel = attr(tag, 'rel') ?? '';
  const href = attr(tag, 'href');
  if (href && /\b(stylesheet|modulepreload)\b/.test(rel)) initial.add(href);
}
let raw = 0;
let gzip = 0;
for (const path of initial) {
  const body = readFileSync(join(webRoot, path.replace(/^\//, '')));
  raw += body.length;
  gzip += gzipSync(body).length;
}
gzip += gzipSync(html).length;
raw += html.length;
process.stdout.write(
  `first load (apps/web/dist built ${statSync(join(webRoot, 'index.html')).mtime.toISOString()}): index.html + ${[...initial].join(', ')}\n`,
);
report(S, 'first load, uncompressed (index.html + initial JS/CSS)', raw / 1024, 'KB');
report(S, 'first load, gzip', gzip / 1024, 'KB', '≤ 250');

async function serve(cluster: ClusterState, dumps: Record<string, string> = {}) {
  const snapshot = writeSnapshotDir(cluster, dumps);
  try {
    const server = await startHelper<{ url: string; startMs: number }>('server-process.ts', 'server', [
      snapshot.dir,
      webRoot,
    ]);
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(server.info.url))
      throw new Error(`not on loopback: ${server.info.url}`);
    return { server, cleanup: async () => (await server.stop(), snapshot.cleanup()) };
  } catch (e) {
    snapshot.cleanup();
    throw e;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * Loads `url` in a fresh context and returns ms from navigation start (performance.timeOrigin) to
 * the frame after the first one where `condition` (evaluated in the page each frame) holds.
 */
async function timeToCondition(
  browser: Browser,
  url: string,
  condition: string,
  dataPath: string,
  timeoutMs = 60_000,
): Promise<{ at: number; received: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.addInitScript(`(() => {
      const done = () => { try { return (${condition}); } catch { return false; } };
      // Checked once per frame; the time is taken in the next frame, once the matching one is painted.
      const frame = () => {
        if (done()) requestAnimationFrame(() => (window.__benchAt = performance.now()));
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    })();`);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction('window.__benchAt !== undefined', undefined, {
      timeout: timeoutMs,
      polling: 50,
    });
    // And when the last response of the data it shows arrived (`dataPath` in the URL).
    return await page.evaluate<{ at: number; received: number }>(`(() => {
      const ends = performance.getEntriesByType('resource')
        .filter((e) => e.name.includes(${JSON.stringify(dataPath)})).map((e) => e.responseEnd);
      return { at: window.__benchAt, received: ends.length ? Math.max(...ends) : NaN };
    })()`);
  } finally {
    await context.close();
  }
}

// The Services table: an ARIA table labelled Services with one row per Service (virtualised, so the
// row count is aria-rowcount), and at least one body row drawn.
const overviewReady = (n: number): string => `(() => {
  const t = document.querySelector('[role="table"][aria-label="Services"]') ?? document.querySelector('[role="table"]');
  if (!t) return false;
  const rows = t.querySelectorAll('[role="row"]').length;
  return Number(t.getAttribute('aria-rowcount')) >= ${n + 1} && rows > 1;
})()`;

// The path graph: SVG groups with class "node" (and "kind-endpoint" for endpoints).
const graphReady = (n: number): string => `(() => {
  const endpoints = document.querySelectorAll('svg .node.kind-endpoint').length;
  return endpoints >= ${n} || document.querySelectorAll('svg g.node').length >= ${2 * n};
})()`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
const running: Array<{ server: HelperProcess<{ url: string }>; cleanup: () => Promise<void> }> = [];
try {
  // ---- overview with 10,000 Services ----
  const big = await serve(syntheticCluster(10_000, 5));
  running.push(big);
  const overviewUrl = `${big.server.info.url}/`;
  const warm = await fetch(`${big.server.info.url}/api/services?limit=5000`);
  if (warm.status !== 200) throw new Error(`the server answered ${warm.status} for /api/services`);
  const overview: Array<{ at: number; received: number }> = [];
  for (let i = 0; i < RUNS; i++)
    overview.push(await timeToCondition(browser, overviewUrl, overviewReady(10_000), '/api/services'));
  report(
    S,
    'overview of 10,000 Services: navigation → rows painted, first fresh context',
    overview[0]?.at ?? NaN,
    'ms',
  );
  report(
    S,
    `overview of 10,000 Services: navigation → rows painted (median of ${RUNS})`,
    median(overview.map((o) => o.at)),
    'ms',
    '≤ 1000',
  );
  report(
    S,
    `overview: of which after the last /api/services page arrived (median of ${RUNS})`,
    median(overview.map((o) => o.at - o.received)),
    'ms',
  );

  // Interactive: re-sorting the 10,000 rows (Namespace header: ascending → descending) until the
  // new first row is painted.
  {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(overviewUrl, { waitUntil: 'load' });
      await page.waitForFunction(overviewReady(10_000), undefined, { timeout: 60_000, polling: 50 });
      const sortMs = await page.evaluate<number>(`new Promise((resolve, reject) => {
        const first = () => document.querySelector('[role="table"] [role="row"][aria-rowindex="2"]')?.textContent ?? '';
        const button = [...document.querySelectorAll('[role="columnheader"] button')].find((b) => /namespace/i.test(b.textContent ?? ''));
        if (!button) return reject(new Error('no Namespace column header button'));
        const before = first();
        const t0 = performance.now();
        button.click();
        const frame = () => {
          if (first() !== before) requestAnimationFrame(() => resolve(performance.now() - t0));
          else if (performance.now() - t0 > 30000) reject(new Error('the first row never changed'));
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      })`);
      report(S, 'overview of 10,000 Services: sort click → re-sorted rows painted', sortMs, 'ms');
    } finally {
      await context.close();
    }
  }

  // ---- one Service with 1,000 endpoints ----
  const cluster = bigService(1000);
  const settings = defaultProxySettings(BENCH_NODE, [BENCH_NODE_IP]);
  const dump = generateIptables(cluster, settings, { family: 4, format: 'save' }).text;
  const one = await serve(cluster, { [BENCH_NODE]: dump });
  running.push(one);
  const base = one.server.info.url;
  const graphApi = `${base}/api/services/ns-big/big-1000/graph?node=${BENCH_NODE}`;
  // The server builds and caches the node's graphs on the first request: that is not the page's cost.
  const t0 = performance.now();
  const g = await fetch(graphApi);
  if (g.status !== 200) throw new Error(`the graph API answered ${g.status}`);
  const graphBytes = (await g.arrayBuffer()).byteLength;
  report(
    S,
    `graph API, first request (${(graphBytes / 1024).toFixed(0)} KB of JSON)`,
    performance.now() - t0,
    'ms',
  );
  await fetch(`${graphApi}&view=expected`);
  const pageUrl = `${base}/services/ns-big/big-1000?node=${BENCH_NODE}`;
  const shown: Array<{ at: number; received: number }> = [];
  for (let i = 0; i < RUNS; i++)
    shown.push(await timeToCondition(browser, pageUrl, graphReady(1000), '/graph'));
  report(
    S,
    '1,000-endpoint Service: navigation → graph painted, first fresh context',
    shown[0]?.at ?? NaN,
    'ms',
  );
  report(
    S,
    `1,000-endpoint Service: navigation → graph painted (median of ${RUNS})`,
    median(shown.map((o) => o.at)),
    'ms',
  );
  report(
    S,
    `1,000-endpoint Service: of which after the graph data arrived (median of ${RUNS})`,
    median(shown.map((o) => o.at - o.received)),
    'ms',
    '≤ 300',
  );
} finally {
  await browser.close();
  for (const r of running) await r.cleanup();
}
