import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from './agent.js';
import type { CommandRunner } from './commands.js';

let agent: RunningAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

/** Only iptables-save exists on this pretend host; ipset times out. */
const fakeRun: CommandRunner = async (command, args, timeoutMs) => {
  if (command === 'iptables-save') return { ok: true, stdout: `# ${args.join(' ')}\n*nat\nCOMMIT\n` };
  if (command === 'ipset') return { ok: false, stdout: '', error: `ipset timed out after ${timeoutMs} ms` };
  return { ok: false, stdout: '', error: `${command} is not installed` };
};

describe('svcpath agent', () => {
  it('serves every dump it could read and says why the others are missing', async () => {
    agent = await startAgent({
      port: 0,
      host: '127.0.0.1',
      run: fakeRun,
      nodeName: 'node-x',
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    const res = await fetch(`http://127.0.0.1:${agent.port}/dumps`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      node: string;
      collectedAt: string;
      dumps: Record<string, { text?: string; error?: string }>;
    };
    expect(body.node).toBe('node-x');
    expect(body.collectedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(body.dumps['iptables']?.text).toBe('# -c\n*nat\nCOMMIT\n');
    expect(body.dumps['nft']).toEqual({ error: 'nft is not installed' });
    expect(body.dumps['ipvs']).toEqual({ error: 'ipvsadm is not installed' });
    expect(body.dumps['ipset']?.error).toMatch(/timed out/);
  });

  it('serves one dump as text, 503 when its tool failed, 404 for unknown paths', async () => {
    agent = await startAgent({ port: 0, host: '127.0.0.1', run: fakeRun });
    const ok = await fetch(`http://127.0.0.1:${agent.port}/dumps/iptables`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('*nat');
    expect((await fetch(`http://127.0.0.1:${agent.port}/dumps/nft`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${agent.port}/nope`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${agent.port}/healthz`)).status).toBe(200);
  });

  it('requires its bearer token for dumps when it has one, but not for /healthz', async () => {
    agent = await startAgent({ port: 0, host: '127.0.0.1', run: fakeRun, authToken: 'tok' });
    const base = `http://127.0.0.1:${agent.port}`;
    expect((await fetch(`${base}/dumps`)).status).toBe(401);
    expect((await fetch(`${base}/dumps`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${base}/dumps`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('reports a missing tool when really run (no such binary)', async () => {
    const { runCommand } = await import('./commands.js');
    const r = await runCommand('svcpath-no-such-tool', [], 1000);
    expect(r).toEqual({ ok: false, stdout: '', error: 'svcpath-no-such-tool is not installed' });
  });
});
