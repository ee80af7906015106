import { afterEach, describe, expect, it } from 'vitest';
import { demoServer, type DemoServer } from '../test-support/demo-server.test-helpers.js';
import { tokenMatches } from './bearer-auth.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

const ROUTES: Array<[string, string]> = [
  ['GET', '/api/status'],
  ['GET', '/api/nodes'],
  ['GET', '/api/nodes/node-a'],
  ['GET', '/api/services'],
  ['GET', '/api/services/default/hostnames'],
  ['GET', '/api/services/default/hostnames/graph'],
  ['GET', '/api/pods'],
  ['POST', '/api/trace'],
  ['PUT', '/api/nodes/node-a/dumps/iptables'],
  ['GET', '/api/nodes/node-a/dumps/iptables'],
  ['GET', '/api/nodes/node-a/dumps/iptables/parsed'],
  ['GET', '/api/nodes/node-a/expected/iptables'],
  ['GET', '/api/diagnostics'],
  ['GET', '/api/export'],
  ['GET', '/api/events'],
  ['GET', '/api/openapi.json'],
  ['GET', '/api/unknown'],
];

describe('bearer auth', () => {
  it.each(ROUTES)('%s %s answers 401 without a token', async (method, url) => {
    s = await demoServer({ authToken: 's3cret-token' });
    const res = await s.app.inject({ method: method as 'GET', url });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json().error).toMatch(/requires a bearer token/);
  });

  it('answers 401 for a wrong token and 200 for the right one', async () => {
    s = await demoServer({ authToken: 's3cret-token' });
    const wrong = await s.app.inject({
      method: 'GET',
      url: '/api/status',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('the bearer token is not valid');
    const right = await s.app.inject({
      method: 'GET',
      url: '/api/status',
      headers: { authorization: 'Bearer s3cret-token' },
    });
    expect(right.statusCode).toBe(200);
  });

  it('leaves the web app outside /api open (it holds no data)', async () => {
    s = await demoServer({ authToken: 's3cret-token' });
    const res = await s.app.inject({ method: 'GET', url: '/services/default/hostnames' });
    expect(res.statusCode).not.toBe(401);
  });

  it('compares tokens of any length', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
  });
});
