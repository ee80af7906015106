// Proof 4: when the demo's hostnames pod turns unready, the open Service view follows over
// Server-Sent Events, without a reload, and keeps what the reader selected.
import { expect, test, type Page } from '@playwright/test';
import { PHASE_MS, documentStillMarked, markDocument } from './helpers.js';

const UNREADY_POD = 'hostnames-6f7b8d9c5-9mvtl';

/** How many endpoints the drawn graph has right now. */
async function endpointCount(page: Page): Promise<number> {
  const text = await page.getByText(/nftables mode on node-b, actual rules/).textContent({ timeout: 2000 });
  const n = /(\d+) endpoints?/.exec(text ?? '')?.[1];
  return n === undefined ? -1 : Number(n);
}

test('a pod turning unready updates the hostnames graph live, keeping the chosen node', async ({ page }) => {
  // Worst case: three phases until the pod is unready, one more until it is ready again.
  test.setTimeout(4 * PHASE_MS + 30_000);
  await page.goto('/services/default/hostnames');
  await expect(page.getByRole('status').filter({ hasText: /^live$/ })).toBeVisible();

  // The selection: node-b (nftables, whose dump follows the cluster without lag).
  await page.getByLabel('Node', { exact: true }).selectOption('node-b');
  await expect(page).toHaveURL(/[?&]node=node-b(&|$)/);
  const graph = page.getByRole('group', {
    name: /^actual path for default\/hostnames:default on node-b, nftables mode$/,
  });
  await expect(graph).toBeVisible();
  await markDocument(page);

  const poll = (timeout: number) => expect.poll(() => endpointCount(page), { timeout, intervals: [500] });
  // The pod fails its readiness probe and leaves the graph (live, unless the page opened during
  // that phase)…
  await poll(3 * PHASE_MS + 5000).toBe(2);
  await expect(graph.getByLabel(/^Endpoint /)).toHaveCount(2);
  await expect(graph.getByLabel(/^Endpoint 10\.36\.0\.10:9376/)).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: UNREADY_POD })).toContainText('not ready');
  // …and comes back, live, when it is ready again.
  await poll(PHASE_MS + 5000).toBe(3);
  await expect(graph.getByLabel(/^Endpoint 10\.36\.0\.10:9376, share 33\.3 %/)).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: UNREADY_POD })).toContainText(/✓\s*ready/);

  // Same document, same selection.
  expect(await documentStillMarked(page)).toBe(true);
  await expect(page).toHaveURL(/[?&]node=node-b(&|$)/);
  await expect(page.getByLabel('Node', { exact: true })).toHaveValue('node-b');
  await expect(page.getByRole('tab', { name: 'default 80/TCP' })).toHaveAttribute('aria-selected', 'true');
});
