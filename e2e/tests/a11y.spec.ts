// Proof 7: axe finds no serious or critical accessibility violations on any view.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { SCREENSHOT_DIR, VIEWS, expectViewReady, viewById } from './helpers.js';

// Every finding, whatever its impact, is kept for reading: test-results/axe/<name>.json.
const AXE_DIR = path.join(SCREENSHOT_DIR, '..', 'axe');

/** Runs axe (all rules), keeps the full report, and returns the serious and critical findings. */
async function blockingViolations(page: Page, testInfo: TestInfo, name: string, include?: string) {
  const builder = new AxeBuilder({ page });
  const results = await (include ? builder.include(include) : builder).analyze();
  const report = JSON.stringify(results.violations, null, 2);
  await testInfo.attach(`axe-${name}.json`, { body: report, contentType: 'application/json' });
  await mkdir(AXE_DIR, { recursive: true });
  await writeFile(path.join(AXE_DIR, `${name}.json`), report);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

for (const view of VIEWS) {
  test(`the ${view.id} view has no serious or critical axe violations`, async ({ page }, testInfo) => {
    await page.goto(view.url);
    await expectViewReady(page, view);
    expect(await blockingViolations(page, testInfo, view.id), `axe violations on ${view.url}`).toEqual([]);
  });
}

test('the help dialog has no serious or critical axe violations', async ({ page }, testInfo) => {
  await page.goto('/');
  await expectViewReady(page, viewById('overview'));
  await page.getByRole('button', { name: 'Help & legend' }).click();
  const dialog = page.getByRole('dialog', { name: 'Help and legend' });
  await expect(dialog).toBeVisible();
  expect(
    await blockingViolations(page, testInfo, 'help-dialog', 'dialog'),
    'axe violations in the help dialog',
  ).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
