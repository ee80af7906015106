import { defineConfig } from '@playwright/test';

const port = Number(process.env['SVCPATH_E2E_PORT'] ?? 18080);
// The server registers the web app's files when it starts, so a rebuild of apps/web/dist during a
// run breaks the pages; a private build can be served instead.
const webRoot = process.env['SVCPATH_E2E_WEB_ROOT'] ?? '../apps/web/dist';

// Debian's Chromium: Playwright's own browser download cannot work on these machines.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env['SVCPATH_CHROMIUM'] ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    // The production build served by the real server on the built-in demo cluster.
    command: `node ../apps/cli/dist/main.js serve --demo --host 127.0.0.1 --port ${port} --web-root ${webRoot}`,
    url: `http://127.0.0.1:${port}/api/status`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
  },
});
