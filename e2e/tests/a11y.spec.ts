// Proof 7: axe finds no serious or critical accessibility violations on any view.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { SCREENSHOT_DIR, VIEWS, expectViewReady } from './helpers.js';

// Every finding, whatever its impact, is kept for reading: test-results/axe/<view>.json.
const AXE_DIR = path.join(SCREENSHOT_DIR, '..', 'axe');

for (const view of VIEWS) {
  test(`the ${view.id} view has no serious or critical axe violations`, async ({ page }, testInfo) => {
    await page.goto(view.url);
    await expectViewReady(page, view);
    const results = await new AxeBuilder({ page }).analyze();
    const report = JSON.stringify(results.violations, null, 2);
    await testInfo.attach(`axe-${view.id}.json`, { body: report, contentType: 'application/json' });
    await mkdir(AXE_DIR, { recursive: true });
    await writeFile(path.join(AXE_DIR, `${view.id}.json`), report);
    const blocking = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
    expect(blocking, `axe violations on ${view.url}`).toEqual([]);
  });
}
