import { describe, expect, it } from 'vitest';
import { DumpStore } from '../services/dump-store.js';
import { LocalHostCollector } from './local-host.js';

const now = () => new Date('2026-01-01T00:00:00Z');

describe('local host collector', () => {
  it('stores what the host tools print under the node name', async () => {
    const dumps = new DumpStore();
    const c = new LocalHostCollector(dumps, now, {
      nodeName: 'here',
      run: async (cmd) =>
        cmd === 'ipset'
          ? { ok: true, stdout: 'create KUBE-CLUSTER-IP hash:ip,port family inet\n' }
          : { ok: false, stdout: '', error: `${cmd} is not installed` },
    });
    await c.collect();
    expect(dumps.get('here', 'ipset')?.source).toBe('local');
    expect(c.status()).toMatchObject({
      state: 'ready',
      message: expect.stringMatching(/iptables: iptables-save is not installed/),
    });
  });

  it('is an error, not a crash, when no tool works', async () => {
    const c = new LocalHostCollector(new DumpStore(), now, {
      nodeName: 'here',
      run: async (cmd) => ({ ok: false, stdout: '', error: `${cmd} is not installed` }),
    });
    await expect(c.collect()).rejects.toThrow();
    expect(c.status()).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/no dump could be read/),
    });
  });
});
