import { describe, expect, it } from 'vitest';
import { buildServer } from '../app.js';
import { StaticClusterSource } from '../sources/static-source.test-helpers.js';
import type { ClusterSnapshot } from '../sources/types.js';

/** A source that breaks after it started: every read fails. */
class BreakingSource extends StaticClusterSource {
  broken = false;
  override snapshot(): ClusterSnapshot {
    if (this.broken) throw new Error('secret detail: connection string xyz');
    return super.snapshot();
  }
}

describe('error handler', () => {
  it('answers 500 "internal error" without details, logs, and keeps serving', async () => {
    const source = new BreakingSource({ services: [], endpointSlices: [], pods: [], nodes: [] });
    const logged: string[] = [];
    const app = await buildServer({
      source,
      logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } },
    });
    source.broken = true;
    source.replace({ services: [], endpointSlices: [], pods: [], nodes: [] });
    const res = await app.inject({ method: 'GET', url: '/api/services' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal error' });
    expect(res.body).not.toContain('secret');
    expect(logged.join('\n')).toContain('secret detail');
    source.broken = false;
    source.replace({ services: [], endpointSlices: [], pods: [], nodes: [] });
    expect((await app.inject({ method: 'GET', url: '/api/services' })).statusCode).toBe(200);
    await app.close();
  });
});
