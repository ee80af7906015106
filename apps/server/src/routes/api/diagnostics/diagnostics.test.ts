import { afterEach, describe, expect, it } from 'vitest';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

describe('GET /api/diagnostics', () => {
  it('lists findings most severe first, with links into the web app', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/diagnostics' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    const first = body.findings[0];
    expect(first.severity).toBe('error');
    expect(body.findings).toContainEqual(
      expect.objectContaining({
        code: 'no-endpoints',
        service: 'default/payments',
        link: '/services/default/payments',
      }),
    );
    const ranks = body.findings.map((f: { severity: string }) =>
      ['error', 'warning', 'info'].indexOf(f.severity),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('ignores query parameters it does not take', async () => {
    s = await demoServer();
    expect((await s.app.inject({ method: 'GET', url: '/api/diagnostics?x=1' })).statusCode).toBe(200);
  });
});
