// Proof 2: the hostnames Service on node-a (iptables) splits traffic over three endpoints,
// 1/3 each, through the random-probability rules 0.33333, 0.5 and 1.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { PHASE_MS } from './helpers.js';

// The chain names come from kube-proxy's hash of the Service port and endpoint.
const SVC_CHAIN = 'KUBE-SVC-ODX2UBAZM7RQWOIU';
const ENDPOINTS = ['10.32.0.10:9376', '10.36.0.10:9376', '10.40.0.10:9376'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the hostnames graph on node-a shows three endpoints at 33.3 % and edges 0.33333 / 0.5 / 1', async ({
  page,
}) => {
  // Drift marks are off: node-a's dump lags one demo change behind on purpose, and drift
  // would append the expected probabilities to the edge labels.
  await page.goto('/services/default/hostnames?node=node-a&drift=off');
  await expect(page.getByLabel('Node', { exact: true })).toHaveValue('node-a');
  await expect(page.getByRole('button', { name: 'Actual (node dump)' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const graph = page.getByRole('group', {
    name: /^actual path for default\/hostnames:default on node-a, iptables mode$/,
  });
  await expect(graph).toBeVisible();

  const endpointNodes = graph.getByLabel(/^Endpoint /);
  const svcEdges = graph.getByLabel(new RegExp(`^Edge from ${SVC_CHAIN} to KUBE-SEP-`));

  // The demo scales hostnames and makes a pod unready every 15 s; three of every four phases
  // show the three-replica ruleset on node-a. Each attempt reads the graph at one moment.
  await expect(async () => {
    await expect(page.getByText(/iptables mode on node-a, actual rules.* 3 endpoints;/)).toBeVisible({
      timeout: 1000,
    });
    expect(await endpointNodes.count()).toBe(3);
    const labels = await endpointNodes.evaluateAll((els) =>
      els.map((e) => e.getAttribute('aria-label') ?? ''),
    );
    for (const ep of ENDPOINTS)
      expect(labels.some((l) => new RegExp(`^Endpoint ${escape(ep)}, share 33\\.3 %`).test(l))).toBe(true);
    const probabilities = (await svcEdges.locator('text').allTextContents()).map((t) => t.trim()).sort();
    expect(probabilities).toEqual(['0.33333', '0.5', '1']);
  }).toPass({ timeout: 2 * PHASE_MS + 5000 });

  // What the reader sees inside the boxes, not only in the accessible names.
  for (const ep of ENDPOINTS)
    await expect(
      graph.locator('text').filter({ hasText: new RegExp(`^${escape(ep)}\\s+33\\.3 %$`) }),
    ).toHaveCount(1);
  await expect(graph.locator('text').filter({ hasText: /^endpoint chain · 33\.3 %$/ })).toHaveCount(3);
  await expect(
    graph.getByLabel(new RegExp(`^Edge from ${SVC_CHAIN} to KUBE-SEP-\\w+, probability 0\\.33333$`)),
  ).toHaveCount(1);
  await expect(
    graph.getByLabel(new RegExp(`^Edge from ${SVC_CHAIN} to KUBE-SEP-\\w+, probability 0\\.5$`)),
  ).toHaveCount(1);
  await expect(
    graph.getByLabel(new RegExp(`^Edge from ${SVC_CHAIN} to KUBE-SEP-\\w+, probability 1$`)),
  ).toHaveCount(1);
});

/** The share each of n equal endpoints gets, as the graph prints it. */
const equalShare = (n: number) => `${(100 / n).toFixed(1).replace(/\.0$/, '')} %`;

for (const { node, mode } of [
  { node: 'node-b', mode: 'nftables' },
  { node: 'node-c', mode: 'ipvs' },
]) {
  test(`the hostnames graph on ${node} (${mode}) gives every endpoint an equal share`, async ({ page }) => {
    await page.goto(`/services/default/hostnames?node=${node}&drift=off`);
    const graph = page.getByRole('group', {
      name: new RegExp(`^actual path for default/hostnames:default on ${node}, ${mode} mode$`),
    });
    await expect(graph).toBeVisible();
    // Whatever phase the demo is in (2, 3 or 4 ready replicas), the shares are equal.
    await expect(async () => {
      const text = await page.getByText(new RegExp(`${mode} mode on ${node}, actual rules`)).textContent();
      const n = Number(/(\d+) endpoints?/.exec(text ?? '')?.[1] ?? NaN);
      expect([2, 3, 4]).toContain(n);
      const labels = await graph
        .getByLabel(/^Endpoint /)
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      expect(labels).toHaveLength(n);
      for (const l of labels)
        expect(l).toMatch(new RegExp(`^Endpoint [\\d.]+:9376, share ${escape(equalShare(n))},`));
    }).toPass({ timeout: PHASE_MS });
  });
}

test('the graph zooms with its buttons and keys, and exports every box and edge', async ({ page }) => {
  await page.goto('/services/default/hostnames?node=node-b&drift=off');
  const graph = page.getByRole('group', { name: /^actual path for default\/hostnames:default on node-b/ });
  await expect(graph).toBeVisible();
  const width = async () => Number(await graph.getAttribute('width'));
  const zoom = page.getByRole('group', { name: 'Zoom' });
  const start = await width();

  await zoom.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(width).toBeCloseTo(start * 1.25, 0);
  // + and - zoom while the graph has focus.
  await graph
    .getByLabel(/^Endpoint /)
    .first()
    .focus();
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect.poll(width).toBeCloseTo(start / 1.25, 0);
  await zoom.getByRole('button', { name: '100 %' }).click();
  await expect(zoom).toContainText('100 %');
  // Fit: the whole graph inside the box, no scrolling needed.
  await zoom.getByRole('button', { name: 'Fit' }).click();
  const box = page.getByTestId('path-graph');
  await expect
    .poll(() => box.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight))
    .toBe(true);

  // The exported file holds the whole graph with its words, whatever the page shows.
  const endpoints = await graph.getByLabel(/^Endpoint /).count();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export SVG' }).click();
  const svg = await readFile(await (await download).path(), 'utf8');
  expect(svg.match(/aria-label="Endpoint /g)).toHaveLength(endpoints);
  expect(svg).toContain('<title>actual path for default/hostnames:default on node-b, nftables mode</title>');
  expect(svg).not.toContain('var(--');
  expect(svg.match(/<text/g)?.length ?? 0).toBeGreaterThan(3 * endpoints);
});
