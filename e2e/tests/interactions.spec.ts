// Beyond the proof list: the links and controls that join the views together.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('a Service links to a trace of its port, filled in', async ({ page }) => {
  await page.goto('/services/kube-system/kube-dns?node=node-a');
  await expect(page.getByRole('tab', { name: 'dns 53/UDP' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'dns-tcp 53/TCP' }).click();
  await expect(page).toHaveURL(/[?&]port=kube-system%2Fkube-dns%3Adns-tcp(&|$)/);
  await page.getByRole('link', { name: /Trace a connection to this port/ }).click();
  await expect(page).toHaveURL(/\/trace\?/);
  await expect(page.getByLabel('Node', { exact: true })).toHaveValue('node-a');
  await expect(page.getByLabel('Destination IP')).toHaveValue('10.96.0.10');
  await expect(page.getByLabel('Port', { exact: true })).toHaveValue('53');
  await expect(page.getByLabel('Protocol')).toHaveValue('tcp');
  await expect(page.getByRole('button', { name: 'Trace', exact: true })).toBeDisabled();
  await page.getByLabel('Source IP').fill('10.36.0.20');
  await page.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(page.getByRole('heading', { name: '2 outcomes' })).toBeVisible();
});

test('a port tab chosen in the URL is shown, and hovering an edge shows its rule', async ({ page }) => {
  await page.goto('/services/kube-system/kube-dns?node=node-a&port=kube-system%2Fkube-dns%3Ametrics');
  await expect(page.getByRole('tab', { name: 'metrics 9153/TCP' })).toHaveAttribute('aria-selected', 'true');
  const graph = page.getByRole('group', { name: /^actual path for kube-system\/kube-dns:metrics on node-a/ });
  await expect(graph).toBeVisible();
  await graph.getByLabel(/^Edge from KUBE-SVC-\w+ to KUBE-SEP-\w+, probability 0\.5$/).hover();
  const tip = page.getByRole('tooltip');
  await expect(tip).toContainText('Probability once at the source: 0.5');
  await expect(tip).toContainText(/-m statistic --mode random --probability 0\.5/);
});

test('the expected view and the drift marks can be switched and shared', async ({ page }) => {
  await page.goto('/services/default/hostnames?node=node-b');
  await page.getByRole('button', { name: 'Expected (generated)' }).click();
  await expect(page).toHaveURL(/[?&]view=expected(&|$)/);
  await expect(
    page.getByRole('group', { name: /^expected path for default\/hostnames:default on node-b/ }),
  ).toBeVisible();
  // The checkbox follows the URL, which changes just after the click (so not .uncheck()).
  await page.getByLabel(/Mark drift against the actual rules/).click();
  await expect(page.getByLabel(/Mark drift against the actual rules/)).not.toBeChecked();
  await expect(page).toHaveURL(/[?&]drift=off(&|$)/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Expected (generated)' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByLabel(/Mark drift against the actual rules/)).not.toBeChecked();
});

test('the keyboard opens a Service from the overview table', async ({ page }) => {
  await page.goto('/?namespace=kube-system');
  const row = page.getByRole('row').filter({ hasText: 'kube-dns' });
  await expect(row).toBeVisible();
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/services\/kube-system\/kube-dns$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('kube-system/kube-dns');
});

test('an unknown Service shows an error that says what to do', async ({ page }) => {
  await page.goto('/services/default/no-such-service');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not load Service default/no-such-service');
  await expect(alert).toContainText('404');
});

test('the node view searches its rules and exports its data', async ({ page }) => {
  await page.goto('/nodes/node-a');
  await page.getByLabel('Search all rules').fill('KUBE-SVC-TCOU7JCQXEZGVUNU');
  await expect(page.getByText(/KUBE-SVC-TCOU7JCQXEZGVUNU/).first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('node-node-a.json');
  const saved = await file.path();
  expect(JSON.parse(await readFile(saved, 'utf8'))).toMatchObject({ name: 'node-a', mode: 'iptables' });
});

test('diagnostics links explain each finding', async ({ page }) => {
  await page.goto('/diagnostics');
  await expect(page.getByRole('heading', { name: /^Services without endpoints/ })).toBeVisible();
  const payments = page.getByRole('listitem').filter({ hasText: 'default/payments: no ready endpoints' });
  await payments.getByRole('link', { name: /explain/ }).click();
  await expect(page).toHaveURL(/\/services\/default\/payments/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('default/payments');
  await expect(page.getByRole('row').filter({ hasText: 'payments-58d9f7c6b' })).toContainText('not ready');
});
