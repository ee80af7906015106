import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PHASE_SECONDS } from '@svcpath/demo';
import { demoServer, type DemoServer } from '../../../test-support/demo-server.test-helpers.js';

let s: DemoServer | undefined;
afterEach(async () => {
  await s?.app.close();
  s = undefined;
});

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Opens /api/events on a listening server and collects parsed events. */
function openEvents(
  port: number,
  headers: Record<string, string> = {},
): Promise<{
  res: IncomingMessage;
  events: SseEvent[];
  comments: string[];
  waitFor: (pred: (e: SseEvent) => boolean) => Promise<SseEvent>;
  close: () => void;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/events', headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        const events: SseEvent[] = [];
        const comments: string[] = [];
        const waiters: Array<{ pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const e: SseEvent = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('id: ')) e.id = line.slice(4);
              else if (line.startsWith('event: ')) e.event = line.slice(7);
              else if (line.startsWith('data: ')) e.data = line.slice(6);
            }
            if (e.event === undefined) continue;
            events.push(e);
            for (const w of [...waiters])
              if (w.pred(e)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(e);
              }
          }
        });
        resolve({
          res,
          events,
          comments,
          waitFor: (pred) => {
            const found = events.find(pred);
            return found ? Promise.resolve(found) : new Promise((r) => waiters.push({ pred, resolve: r }));
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/events (SSE)', () => {
  it('streams a numbered event when a demo change moves the hostnames endpoints', async () => {
    s = await demoServer({ limits: { sseHeartbeatMs: 50 } });
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.app.server.address() as AddressInfo).port;
    const stream = await openEvents(port);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.res.headers['x-content-type-options']).toBe('nosniff');

    // The demo's first change: a hostnames pod becomes unready.
    s.clock.advance(PHASE_SECONDS);
    expect(s.source.tick()).toBeGreaterThan(0);
    // Changes are folded into one rebuild on the next tick of the event loop.
    const e = await stream.waitFor(
      (ev) => ev.event === 'services' && ev.data?.includes('"hostnames"') === true,
    );
    expect(JSON.parse(e.data ?? '')).toEqual({ type: 'services', namespace: 'default', name: 'hostnames' });
    expect(Number(e.id)).toBeGreaterThan(0);
    // Every node's expected rules changed with it.
    await stream.waitFor((ev) => ev.event === 'nodes' && ev.data?.includes('node-a') === true);
    // Heartbeats keep idle connections open.
    await new Promise<void>((r) => {
      const check = () => (stream.comments.includes('heartbeat') ? r() : setTimeout(check, 10));
      check();
    });
    stream.close();
  });

  it('replays what a reconnecting client missed after Last-Event-ID', async () => {
    s = await demoServer();
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.app.server.address() as AddressInfo).port;
    const first = await openEvents(port);
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    const seen = await first.waitFor((ev) => ev.event === 'services');
    first.close();
    s.clock.advance(PHASE_SECONDS);
    s.source.tick();
    // Let the change be folded in before reconnecting.
    await s.app.inject({ method: 'GET', url: '/api/status' });
    const again = await openEvents(port, { 'last-event-id': seen.id ?? '0' });
    const replayed = await again.waitFor((ev) => Number(ev.id) > Number(seen.id) && ev.event === 'services');
    expect(JSON.parse(replayed.data ?? '')).toMatchObject({ type: 'services' });
    again.close();
  });

  it('answers 400 for a bad lastEventId', async () => {
    s = await demoServer();
    const res = await s.app.inject({ method: 'GET', url: '/api/events?lastEventId=x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/querystring\/lastEventId/);
  });
});
