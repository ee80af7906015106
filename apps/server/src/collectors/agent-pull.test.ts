import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '@svcpath/core';
import { startAgent, type RunningAgent } from '../agent/agent.js';
import { DumpStore } from '../services/dump-store.js';
import { StaticClusterSource } from '../sources/static-source.test-helpers.js';
import { AgentPullCollector } from './agent-pull.js';

let agent: RunningAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

const agentPod = (node: string, ip: string, port: number): Pod => ({
  metadata: {
    name: `svcpath-agent-${node}`,
    namespace: 'svcpath',
    labels: { 'app.kubernetes.io/name': 'svcpath-agent' },
  },
  spec: { nodeName: node, containers: [{ name: 'agent', ports: [{ name: 'http', containerPort: port }] }] },
  status: { podIP: ip, phase: 'Running' },
});

const now = () => new Date('2026-01-01T00:00:00Z');

describe('agent pull collector', () => {
  it('finds agents through their pods and stores their dumps per node', async () => {
    agent = await startAgent({
      port: 0,
      host: '127.0.0.1',
      run: async (c) =>
        c === 'iptables-save'
          ? { ok: true, stdout: '*nat\nCOMMIT\n' }
          : { ok: false, stdout: '', error: `${c} is not installed` },
    });
    const source = new StaticClusterSource({
      services: [],
      endpointSlices: [],
      pods: [agentPod('n1', '127.0.0.1', agent.port)],
      nodes: [],
    });
    const dumps = new DumpStore();
    const collector = new AgentPullCollector(source, dumps, now);
    await collector.pullAll();
    expect(dumps.get('n1', 'iptables')).toMatchObject({
      text: '*nat\nCOMMIT\n',
      source: 'agent',
      stale: false,
    });
    expect(dumps.get('n1', 'nft')).toBeUndefined();
    expect(collector.status()).toMatchObject({
      name: 'agent',
      state: 'ready',
      message: expect.stringMatching(/nft: nft is not installed/),
    });
  });

  it('keeps the last good dump, marks it stale and reports an error when the agent goes away', async () => {
    agent = await startAgent({
      port: 0,
      host: '127.0.0.1',
      run: async () => ({ ok: true, stdout: '*nat\nCOMMIT\n' }),
    });
    const port = agent.port;
    const source = new StaticClusterSource({
      services: [],
      endpointSlices: [],
      pods: [agentPod('n1', '127.0.0.1', port)],
      nodes: [],
    });
    const dumps = new DumpStore();
    const collector = new AgentPullCollector(source, dumps, now, { timeoutMs: 2000 });
    await collector.pullAll();
    await agent.close();
    agent = undefined;
    await expect(collector.pullAll()).rejects.toThrow(/every agent failed/);
    expect(dumps.get('n1', 'iptables')).toMatchObject({ text: '*nat\nCOMMIT\n', stale: true });
    expect(collector.status()).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/cannot reach the agent on n1/),
    });
  });

  it('sends the token agents require, on the port the DaemonSet names `agent`', async () => {
    agent = await startAgent({
      port: 0,
      host: '127.0.0.1',
      authToken: 'tok',
      run: async () => ({ ok: true, stdout: '*nat\nCOMMIT\n' }),
    });
    const pod = agentPod('n1', '127.0.0.1', agent.port);
    const ports = pod.spec?.containers?.[0]?.ports;
    if (ports?.[0]) ports[0].name = 'agent';
    const source = new StaticClusterSource({ services: [], endpointSlices: [], pods: [pod], nodes: [] });
    const dumps = new DumpStore();
    const without = new AgentPullCollector(source, dumps, now);
    await expect(without.pullAll()).rejects.toThrow();
    expect(without.status().message).toMatch(/agent answered 401/);
    await new AgentPullCollector(source, dumps, now, { token: 'tok' }).pullAll();
    expect(dumps.get('n1', 'iptables')?.source).toBe('agent');
  });

  it('says when no agent pods exist', () => {
    const source = new StaticClusterSource({ services: [], endpointSlices: [], pods: [], nodes: [] });
    const collector = new AgentPullCollector(source, new DumpStore(), now);
    expect(collector.status()).toMatchObject({
      state: 'syncing',
      message: expect.stringMatching(/no pods labelled app.kubernetes.io\/name=svcpath-agent/),
    });
  });

  it('ignores a listening socket that is not an agent', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_q, r) => {
      r.writeHead(500);
      r.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const source = new StaticClusterSource({
      services: [],
      endpointSlices: [],
      pods: [agentPod('n1', '127.0.0.1', port)],
      nodes: [],
    });
    const collector = new AgentPullCollector(source, new DumpStore(), now);
    await expect(collector.pullAll()).rejects.toThrow();
    expect(collector.status().message).toMatch(/agent answered 500/);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
