// What the specs share: the demo cluster's fixed facts, the views with their URLs, and how to
// tell that a view has finished loading without falling into an error state.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, type TestInfo } from '@playwright/test';

/** nginx-deployment pod on node-a (packages/demo/src/pods.ts): always present, never unready. */
export const POD_IP = '10.32.0.20';
export const KUBE_DNS_IP = '10.96.0.10';
export const TRACE_URL = `/trace?node=node-a&src=${POD_IP}&dst=${KUBE_DNS_IP}&dport=53&proto=udp`;

/** The demo changes every 15 s and its timeline repeats every 4 changes. */
export const PHASE_MS = 15_000;
export const CYCLE_MS = 4 * PHASE_MS;

export interface ViewCase {
  id: string;
  url: string;
  heading: string | RegExp;
  /** Resolves once the view's data (not just its shell) is on screen. */
  loaded: (page: Page) => Promise<void>;
}

export const VIEWS: readonly ViewCase[] = [
  {
    id: 'overview',
    url: '/',
    heading: 'Overview',
    loaded: async (page) => {
      await expect(page.getByRole('table', { name: 'Services' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'node-c' })).toBeVisible();
    },
  },
  {
    id: 'service',
    url: '/services/default/hostnames?node=node-a',
    heading: /default\/hostnames/,
    loaded: async (page) => {
      await expect(page.getByRole('group', { name: /^actual path for default\/hostnames/ })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Discovery' })).toBeVisible();
    },
  },
  {
    id: 'trace',
    url: TRACE_URL,
    heading: 'Trace a packet',
    loaded: async (page) => {
      await expect(page.getByRole('heading', { name: /^2 outcomes$/ })).toBeVisible();
      await expect(page.getByRole('group', { name: /^Traced path on kube-system\/kube-dns/ })).toBeVisible();
    },
  },
  {
    id: 'node',
    url: '/nodes/node-a',
    heading: /^Node node-a/,
    loaded: async (page) => {
      await expect(page.getByLabel('Search all rules')).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Chains' })).toBeVisible();
    },
  },
  {
    id: 'diagnostics',
    url: '/diagnostics',
    heading: 'Diagnostics',
    loaded: async (page) => {
      await expect(
        page.getByText(/^\d+ findings?, computed /).or(page.getByText('Nothing to report')),
      ).toBeVisible();
    },
  },
];

export function viewById(id: string): ViewCase {
  const view = VIEWS.find((v) => v.id === id);
  if (!view) throw new Error(`no view ${id}`);
  return view;
}

/** Waits until the view is loaded, its main heading shows, and nothing is still loading or failed. */
export async function expectViewReady(page: Page, view: ViewCase): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toContainText(view.heading);
  await view.loaded(page);
  await expect(page.getByText(/^Loading .*…$/)).toHaveCount(0);
  await expectNoErrorState(page);
}

/** The web app shows every failure (API errors, bad uploads) as role="alert". */
export async function expectNoErrorState(page: Page): Promise<void> {
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = path.join(here, '..', 'test-results', 'screenshots');

/** A full-page screenshot, attached to the report and kept at test-results/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const body = await page.screenshot({ fullPage: true, animations: 'disabled' });
  await testInfo.attach(`${name}.png`, { body, contentType: 'image/png' });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await writeFile(file, body);
  return file;
}

/** Marks the document so a later check can prove the page was never reloaded. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.documentElement.dataset['e2eMarker'] = 'kept';
  });
}

export async function documentStillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.dataset['e2eMarker'] === 'kept');
}
