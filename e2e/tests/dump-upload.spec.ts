// Proof 6: a malformed dump uploaded on the node view is refused (422) and the view names the
// line that does not parse.
import { expect, test } from '@playwright/test';

// Line 3 is not iptables-save output.
const BAD_DUMP = [
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  'this line is not iptables-save output',
  'COMMIT',
  '',
].join('\n');

test('uploading a malformed iptables dump shows the line of the error', async ({ page }) => {
  await page.goto('/nodes/node-a');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Node node-a');
  await expect(page.getByLabel('Kind', { exact: true })).toHaveValue('iptables');
  await page.getByLabel(/paste the dump/).fill(BAD_DUMP);

  const response = page.waitForResponse(
    (r) => r.url().endsWith('/api/nodes/node-a/dumps/iptables') && r.request().method() === 'PUT',
  );
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const res = await response;
  expect(res.status()).toBe(422);
  expect(await res.json()).toMatchObject({ line: 3 });

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The dump does not parse at line 3:');
  await expect(alert).toContainText('3: this line is not iptables-save output');

  // The refused dump replaced nothing: the node still has its own iptables dump.
  await page.reload();
  await expect(page.getByRole('button', { name: /^iptables · .* · demo · / })).toBeVisible();
});
