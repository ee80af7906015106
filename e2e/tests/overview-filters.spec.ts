// Proof 5: the overview's search and filters change the rows and the URL; a deep link with
// the same query restores them.
import { expect, test, type Page } from '@playwright/test';

const ALL_SERVICES = 14;

/** The Service names in the (virtualised) table, in order; the demo's 14 rows all fit. */
async function rowNames(page: Page): Promise<string[]> {
  const rows = page
    .getByRole('table', { name: 'Services' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  return rows.evaluateAll((els) =>
    els.map((r) => r.querySelectorAll('[role="cell"]')[1]?.textContent?.trim() ?? ''),
  );
}

const countText = (n: number) => `${n} Service${n === 1 ? '' : 's'}`;

test('search and filters change the rows and the URL', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText(countText(ALL_SERVICES), { exact: true })).toBeVisible();
  await expect.poll(() => rowNames(page)).toHaveLength(ALL_SERVICES);

  await page.getByLabel('Namespace').selectOption('kube-system');
  await expect(page).toHaveURL(/\/\?namespace=kube-system$/);
  await expect(page.getByText(countText(1), { exact: true })).toBeVisible();
  await expect.poll(() => rowNames(page)).toEqual(['kube-dns']);

  await page.getByLabel('Namespace').selectOption('default');
  await page.getByLabel('Type').selectOption('NodePort');
  await expect(page).toHaveURL(/\/\?namespace=default&type=NodePort$/);
  await expect(page.getByText(countText(2), { exact: true })).toBeVisible();
  await expect.poll(async () => (await rowNames(page)).sort()).toEqual(['ingress-local', 'myapp']);

  // The search box updates the URL after a short pause.
  await page.getByRole('searchbox', { name: 'Search' }).fill('ingress');
  await expect(page).toHaveURL(/\/\?namespace=default&type=NodePort&q=ingress$/);
  await expect.poll(() => rowNames(page)).toEqual(['ingress-local']);
});

test('the search alone narrows the rows to matching names', async ({ page }) => {
  await page.goto('/');
  await expect.poll(() => rowNames(page)).toHaveLength(ALL_SERVICES);
  await page.getByRole('searchbox', { name: 'Search' }).fill('dns');
  await expect(page).toHaveURL(/\/\?q=dns$/);
  await expect(page.getByText(countText(1), { exact: true })).toBeVisible();
  await expect.poll(() => rowNames(page)).toEqual(['kube-dns']);
});

test('clear filters empties the search and both filters for good', async ({ page }) => {
  await page.goto('/?namespace=default&type=NodePort&q=ingress');
  await expect.poll(() => rowNames(page)).toEqual(['ingress-local']);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(() => rowNames(page)).toHaveLength(ALL_SERVICES);
  // The search box's update lands 250 ms after a change: whatever it does must not undo the clear.
  await page.waitForTimeout(1000);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel('Namespace')).toHaveValue('');
  await expect(page.getByLabel('Type')).toHaveValue('');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
});

test('a deep link restores the search and filters', async ({ page }) => {
  await page.goto('/?namespace=default&type=LoadBalancer');
  await expect(page.getByLabel('Namespace')).toHaveValue('default');
  await expect(page.getByLabel('Type')).toHaveValue('LoadBalancer');
  await expect(page.getByText(countText(1), { exact: true })).toBeVisible();
  await expect.poll(() => rowNames(page)).toEqual(['myapp-lb']);

  await page.goto('/?q=hostnames&sort=name&dir=desc');
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('hostnames');
  await expect(page.getByRole('columnheader', { name: /^Name( [▲▼])?$/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect.poll(() => rowNames(page)).toEqual(['hostnames']);
});

test('a Service opened from a filtered list leaves the search behind', async ({ page }) => {
  // The search box updates the URL 250 ms after it changes (and after the page opens). If that
  // timer fires while the router is already switching to the Service view, it must not write
  // ?q= onto the Service's URL. The race needs the click near that moment: sweep the delay.
  const row = page.getByRole('row').filter({ hasText: 'hostnames' });
  for (let delay = 150; delay <= 330; delay += 20) {
    await page.goto('/?q=hostnames');
    const loaded = Date.now();
    await expect(row).toBeVisible();
    await page.waitForTimeout(Math.max(0, loaded + delay - Date.now()));
    await row.click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('default/hostnames');
    await expect(page, `click ${delay} ms after the page loaded`).toHaveURL(
      /\/services\/default\/hostnames$/,
    );
  }
  // Going back returns to the filtered list.
  await page.goBack();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('hostnames');
  await expect.poll(() => rowNames(page)).toEqual(['hostnames']);
});
