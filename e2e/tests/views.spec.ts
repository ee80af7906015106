// Proof 1: every view loads from its URL, shows its heading and no error state.
import { test } from '@playwright/test';
import { VIEWS, expectViewReady, saveScreenshot } from './helpers.js';

for (const view of VIEWS) {
  test(`the ${view.id} view loads from ${view.url}`, async ({ page }, testInfo) => {
    await page.goto(view.url);
    await expectViewReady(page, view);
    await saveScreenshot(page, testInfo, view.id);
  });
}
