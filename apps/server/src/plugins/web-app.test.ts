import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoServer, type DemoServer } from '../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function webRoot(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'svcpath-web-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>svcpath</title><div id="root"></div>');
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

describe('web app', () => {
  it('serves index.html at / and for the web routes, files as they are, and JSON 404s under /api', async () => {
    s = await demoServer({ webRoot: await webRoot() });
    for (const url of [
      '/',
      '/services/default/hostnames',
      '/trace?node=node-a',
      '/nodes/node-a',
      '/diagnostics',
    ]) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    }
    const js = await s.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const api = await s.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: 'no route GET /api/nothing-here' });
    const other = await s.app.inject({ method: 'GET', url: '/not-a-web-route' });
    expect(other.statusCode).toBe(404);
  });

  it('says how to build the web app when it is missing', async () => {
    s = await demoServer({ webRoot: '/nonexistent' });
    const res = await s.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatch(/web app is not built/);
  });
});
