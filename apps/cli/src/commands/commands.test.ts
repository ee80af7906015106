import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../../../../packages/core/src/common/shared-folder.test-helpers.js';
import { InputError } from '../input/read-input.js';
import { GraphOptionsSchema, ServeOptionsSchema, TraceOptionsSchema, validate } from '../input/schemas.js';
import { runGenerate } from './generate.js';
import { runGraph } from './graph.js';
import { runServe } from './serve.js';
import { runTrace } from './trace.js';

const dumps = sharedPath('dumps');
const dump19 = join(dumps ?? '', '19-k8s1.29-flannel-docker-multiport-3-endpoints-iptables-save.txt');
const tmp = mkdtempSync(join(tmpdir(), 'svcpath-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cluster = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        clusterIP: '10.96.0.50',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.1.10'], nodeName: 'n1' },
        { addresses: ['10.244.2.10'], nodeName: 'n2' },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { addresses: [{ type: 'InternalIP', address: '192.168.5.1' }] },
    },
  ],
};

describe('svcpath generate → graph → trace on its own output', () => {
  const clusterFile = join(tmp, 'cluster.json');
  writeFileSync(clusterFile, JSON.stringify(cluster));
  const base = {
    cluster: clusterFile,
    node: 'n1',
    nodeIp: [],
    family: 4 as const,
    part: 'all' as const,
    clusterCidr: '10.244.0.0/16',
  };

  it('generates a loadable ruleset that graphs and traces to both endpoints at 50 %', () => {
    const save = runGenerate({ ...base, format: 'save' });
    expect(save).toMatch(/^\*filter/m);
    expect(save).toContain(
      '-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP"',
    );
    const file = join(tmp, 'n1.rules');
    writeFileSync(file, save);
    const g = JSON.parse(runGraph({ dump: [file], json: true }).text) as {
      services: Array<{ service: string; endpoints: Array<{ address: string; probability: number }> }>;
    };
    const web = g.services.find((s) => s.service === 'default/web:http');
    expect(web?.endpoints.map((e) => [e.address, e.probability])).toEqual([
      ['10.244.1.10:8080', 0.5],
      ['10.244.2.10:8080', 0.5],
    ]);
    const t = runTrace({
      dump: [file],
      src: '10.244.1.10',
      dst: '10.96.0.50',
      dport: 80,
      proto: 'tcp',
      nodeIp: ['192.168.5.1'],
      json: true,
    });
    expect(t.result.outcomes.map((o) => [o.dnat, o.probability])).toEqual([
      ['10.244.1.10:8080', 0.5],
      ['10.244.2.10:8080', 0.5],
    ]);
    // A pod reaching itself through the Service is masqueraded (hairpin); the other endpoint is not.
    expect(t.result.outcomes.map((o) => o.masquerade)).toEqual([true, false]);
  });

  it('prints restore input as kube-proxy hands it to iptables-restore', () => {
    const text = runGenerate({ ...base, format: 'restore-input' });
    expect(text).toMatch(/^\*filter\n:KUBE-SERVICES - \[0:0\]/);
    expect(text).not.toMatch(/^:INPUT/m);
    expect(text).toContain('--probability 0.5000000000');
  });

  it('generates nftables and IPVS forms', () => {
    expect(runGenerate({ ...base, mode: 'nftables', format: 'restore-input' })).toContain(
      'add table ip kube-proxy',
    );
    expect(runGenerate({ ...base, mode: 'ipvs', format: 'save', part: 'ipvs' })).toContain(
      '-A -t 10.96.0.50:80 -s rr',
    );
  });
});

describe.skipIf(!dumps)('svcpath trace and graph on a real dump', () => {
  it('prints the contract JSON shape for trace', () => {
    const { text } = runTrace({
      dump: [dump19],
      src: '10.244.1.9',
      dst: '10.96.0.10',
      dport: 53,
      proto: 'udp',
      nodeIp: [],
      inInterface: 'cni0',
      outInterface: 'cni0',
      json: true,
    });
    const j = JSON.parse(text) as {
      packet: object;
      outcomes: Array<{
        probability: number;
        verdict: string;
        dnat: string | null;
        masquerade: boolean;
        path: Array<Record<string, unknown>>;
      }>;
    };
    expect(Object.keys(j).sort()).toEqual(['outcomes', 'packet', 'warnings']);
    expect(j.outcomes.map((o) => o.dnat)).toEqual(['10.244.0.4:53', '10.244.0.5:53']);
    for (const o of j.outcomes) {
      expect(o.verdict).toBe('ACCEPT');
      for (const s of o.path)
        expect(Object.keys(s)).toEqual(expect.arrayContaining(['table', 'chain', 'rule', 'text', 'action']));
    }
    expect(j.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
  });

  it('reads several dumps of one node, and refuses what is not a dump', () => {
    const junk = join(tmp, 'junk.txt');
    writeFileSync(junk, 'hello\n');
    expect(() => runGraph({ dump: [junk], json: false })).toThrow(InputError);
    expect(runGraph({ dump: [dump19], json: false, service: 'default/service1' }).text).toContain('33.3 %');
  });
});

describe('option schemas', () => {
  it('names every bad option', () => {
    expect(() =>
      validate(TraceOptionsSchema, {
        dump: ['x'],
        src: 'not-an-ip',
        dst: '10.0.0.1',
        dport: 70000,
        proto: 'tcp',
        nodeIp: [],
        json: false,
      }),
    ).toThrow(/--src[\s\S]*--dport/);
    expect(() => validate(GraphOptionsSchema, { dump: ['x'], service: 'no-slash', json: false })).toThrow(
      /--service/,
    );
  });
});

describe('serve options', () => {
  const base = {
    demo: false,
    inCluster: false,
    host: '127.0.0.1',
    port: 8080,
    logLevel: 'warn',
    collect: ['exec'],
  };

  it('accepts where the exec collector finds kube-proxy', () => {
    const opts = {
      ...base,
      execNamespace: 'kube-proxy',
      execSelector: 'app=kp,tier==node',
      execContainer: 'proxy',
    };
    expect(validate(ServeOptionsSchema, opts)).toEqual(opts);
  });

  it('names the flag of a set-based selector or a bad namespace', () => {
    expect(() => validate(ServeOptionsSchema, { ...base, execSelector: 'k8s-app in (kube-proxy)' })).toThrow(
      /--exec-selector/,
    );
    expect(() => validate(ServeOptionsSchema, { ...base, execNamespace: 'Kube_System' })).toThrow(
      /--exec-namespace/,
    );
  });

  it('says which port is taken instead of failing with a stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(
        runServe(validate(ServeOptionsSchema, { ...base, demo: true, collect: [], port })),
      ).rejects.toThrow(new InputError(`127.0.0.1:${port} is already in use; choose another --port`));
    } finally {
      taken.close();
    }
  });

  it('refuses exec settings without the exec collector', async () => {
    await expect(
      runServe(validate(ServeOptionsSchema, { ...base, collect: ['agent'], execNamespace: 'kube-proxy' })),
    ).rejects.toThrow(/need --collect exec/);
  });
});
