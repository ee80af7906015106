// The exec endpoint through client-node's own Exec class, as svcpath's exec collector uses it.
import { PassThrough } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame } from './websocket.js';
import { startTestApiServer } from './server.js';
import type { TestApiServer } from './types.js';

function kubeConfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'double', server, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'not-a-real-token' }],
    contexts: [{ name: 'double', cluster: 'double', user: 'tester' }],
    currentContext: 'double',
  });
  return kc;
}

interface Outcome {
  stdout: string;
  stderr: string;
  status: V1Status | null;
  error?: string;
}

async function run(
  api: TestApiServer,
  pod: string,
  command: string[],
  closeAfterMs?: number,
): Promise<Outcome> {
  const out: Outcome = { stdout: '', stderr: '', status: null };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  try {
    const ws: { close(): void; once(ev: 'close', l: () => void): void } = await new Exec(
      kubeConfig(api.url),
    ).exec('kube-system', pod, 'kube-proxy', command, stdout, stderr, null, false, (s) => {
      out.status = s;
    });
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      if (closeAfterMs !== undefined) setTimeout(() => ws.close(), closeAfterMs);
    });
  } catch (e) {
    out.error = e instanceof Error ? e.message : String((e as { message?: unknown }).message);
  }
  return out;
}

describe('exec endpoint of the test API double', () => {
  let api: TestApiServer;
  beforeEach(async () => {
    api = await startTestApiServer();
    api.upsert('pods', {
      metadata: { name: 'kube-proxy-a', namespace: 'kube-system' },
      spec: { nodeName: 'a', containers: [{ name: 'kube-proxy' }] },
    });
  });
  afterEach(async () => {
    await api.close();
  });

  it('streams stdout in several frames and a Success status', async () => {
    const big = `${'-A KUBE-SERVICES -j ACCEPT\n'.repeat(5000)}`;
    const seen: string[][] = [];
    api.setExecHandler((_ns, _pod, _c, command) => {
      seen.push(command);
      return { stdout: big };
    });
    const out = await run(api, 'kube-proxy-a', ['iptables-save', '-c']);
    expect(seen).toEqual([['iptables-save', '-c']]);
    expect(out.stdout).toBe(big);
    expect(out.status).toEqual({ metadata: {}, status: 'Success' });
    expect(api.requests.at(-1)).toMatchObject({ subresource: 'exec', name: 'kube-proxy-a', status: 101 });
  });

  it('reports a non-zero exit as NonZeroExitCode with an ExitCode cause', async () => {
    api.setExecHandler(() => ({ stderr: 'exec: ipvsadm: not found\n', exitCode: 127 }));
    const out = await run(api, 'kube-proxy-a', ['ipvsadm', '-S', '-n']);
    expect(out.stderr).toBe('exec: ipvsadm: not found\n');
    expect(out.status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '127' }] },
    });
  });

  it('answers 403 when the handler forbids, and 404 for a pod that does not exist', async () => {
    api.setExecHandler(() => 'forbidden');
    expect((await run(api, 'kube-proxy-a', ['nft'])).error).toMatch(/403/);
    expect((await run(api, 'kube-proxy-x', ['nft'])).error).toMatch(/404/);
  });

  it('keeps a hanging exec open until the client closes it', async () => {
    api.setExecHandler(() => 'hang');
    const out = await run(api, 'kube-proxy-a', ['nft'], 50);
    expect(out).toMatchObject({ stdout: '', status: null });
  });
});

describe('websocket frames', () => {
  it('decodes masked frames of every length encoding and keeps a partial one', () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const masked = (payload: Buffer): Buffer => {
      const plain = encodeFrame(0x2, payload);
      const headLen = plain.length - payload.length;
      const head = Buffer.from(plain.subarray(0, headLen));
      head[1] = (head[1] ?? 0) | 0x80;
      const body = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)));
      return Buffer.concat([head, mask, body]);
    };
    const sizes = [0, 5, 125, 126, 70_000];
    const all = Buffer.concat(sizes.map((n) => masked(Buffer.alloc(n, 7))));
    const { frames, rest } = decodeFrames(Buffer.concat([all, all.subarray(0, 3)]));
    expect(frames.map((f) => f.payload.length)).toEqual(sizes);
    expect(frames.every((f) => f.payload.every((b) => b === 7))).toBe(true);
    expect(rest.length).toBe(3);
  });
});
