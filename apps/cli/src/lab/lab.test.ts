// The dataplane against the real kernel: generated rules loaded into namespaces this test makes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLabReport, labUnavailable, runLab, type LabHost, type LabReport } from './index.js';
import { builtinScenario } from './scenario.js';

const unavailable = labUnavailable('iptables');
if (unavailable) console.warn(`lab tests skipped: ${unavailable}`);

const labNamespaces = (): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('svcpath-lab-'));

const namespacesLeft = (report: LabReport): string[] => {
  const list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return report.namespaces.filter((ns) => list.includes(ns));
};

describe.skipIf(unavailable !== null)('lab on the real kernel', () => {
  let report: LabReport | null = null;
  const builtin = async (): Promise<LabReport> => (report ??= await runLab({ connections: 120 }));

  it('the built-in scenario agrees with the tracer on every Service port', { timeout: 60_000 }, async () => {
    const r = await builtin();
    if (r.status !== 'passed') console.warn(formatLabReport(r));
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('passed');
    expect(r.targets.filter((t) => !t.ok)).toEqual([]);
    expect(namespacesLeft(r)).toEqual([]);
  });

  it("the kernel traced one connection per target along the tracer's path", { timeout: 60_000 }, async () => {
    const r = await builtin();
    const untraced = r.notes.find((n) => n.startsWith('kernel path not compared'));
    if (untraced) {
      console.warn(untraced);
      return;
    }
    const paths = r.targets.map((t) => t.checks.find((c) => c.name === 'path'));
    expect(paths.every((c) => c?.ok)).toBe(true);
    const web = r.targets.find((t) => t.service === 'lab/web:http' && t.origin === 'client');
    expect(web?.kernelPath?.some((s) => s.includes('-j DNAT --to-destination 10.244.'))).toBe(true);
    expect(web?.kernelPath?.at(-1)).toContain('-j MASQUERADE');
  });

  it(
    'covers splits, UDP, affinity, REJECT, DROP, host traffic and both masquerade answers',
    { timeout: 60_000 },
    async () => {
      const r = await builtin();
      const find = (service: string, entry: string, origin: string) =>
        r.targets.find((t) => t.service === service && t.entry === entry && t.origin === origin);
      const keys = (t: ReturnType<typeof find>) =>
        t?.outcomes.filter((o) => o.observed > 0).map((o) => o.key);

      expect(keys(find('lab/web:http', 'clusterIP', 'client'))).toEqual([
        '10.244.1.11:8080',
        '10.244.2.12:8080',
        '10.244.2.13:8080',
      ]);
      expect(keys(find('lab/web:http', 'clusterIP', 'node'))).toHaveLength(3);
      expect(find('lab/dns:dns', 'clusterIP', 'client')?.protocol).toBe('UDP');
      expect(keys(find('lab/dns:dns', 'clusterIP', 'client'))).toEqual([
        '10.244.1.21:5353',
        '10.244.2.22:5353',
      ]);
      const sticky = find('lab/sticky:http', 'clusterIP', 'client');
      expect(sticky?.affinity).toBe(true);
      expect(sticky?.checks.find((c) => c.name === 'affinity')?.ok).toBe(true);
      expect(keys(find('lab/empty:http', 'clusterIP', 'client'))).toEqual(['refused']);
      expect(keys(find('lab/empty:http', 'clusterIP', 'node'))).toEqual(['refused']);
      expect(keys(find('lab/shop:http', 'nodePort', 'client'))).toHaveLength(4);
      // externalTrafficPolicy Local: only the local pod, client address kept; no local pod: dropped.
      const local = find('lab/local:http', 'nodePort', 'client');
      expect(keys(local)).toEqual(['10.244.1.61:8080']);
      expect(local?.checks.find((c) => c.name === 'masquerade')?.detail).toContain('source kept');
      expect(keys(find('lab/remote:http', 'nodePort', 'client'))).toEqual(['timeout']);
      // From the node itself the Local policy falls back to every endpoint.
      expect(keys(find('lab/remote:http', 'nodePort', 'node'))).toEqual([
        '10.244.2.71:8080',
        '10.244.2.72:8080',
      ]);
      expect(
        find('lab/web:http', 'clusterIP', 'client')?.checks.find((c) => c.name === 'masquerade')?.detail,
      ).toContain('masqueraded');
      // A pod of the node: kept source to other pods, masqueraded when it reaches itself (hairpin).
      const pod = find('lab/web:http', 'clusterIP', 'pod');
      expect(pod?.src).toBe('10.244.1.11');
      expect(keys(pod)).toHaveLength(3);
      expect(pod?.checks.find((c) => c.name === 'masquerade')?.detail).toMatch(
        /masqueraded: 10\.244\.1\.11:8080; source kept: 10\.244\.2\.12:8080, 10\.244\.2\.13:8080/,
      );
      // loadBalancerSourceRanges: the lab client is admitted by one LoadBalancer, dropped by the other.
      expect(keys(find('lab/lb-open:http', 'loadBalancer', 'client'))).toEqual([
        '10.244.1.81:8080',
        '10.244.2.82:8080',
      ]);
      expect(keys(find('lab/lb-closed:http', 'loadBalancer', 'client'))).toEqual(['timeout']);
      const dnsFromPod = find('lab/dns:dns', 'clusterIP', 'pod');
      expect(dnsFromPod?.checks.find((c) => c.name === 'masquerade')?.detail).toContain('source kept');
    },
  );

  describe('with a cluster file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svcpath-lab-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads the node named on the command line and probes its Services', { timeout: 60_000 }, async () => {
      const { state } = builtinScenario();
      const file = join(dir, 'cluster.json');
      const keep = (name?: string) =>
        name === 'web' || name === 'dns' || name?.startsWith('dns-') || name?.startsWith('web-');
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            ...state.services.filter((s) => keep(s.metadata.name)),
            ...state.endpointSlices.filter((s) => keep(s.metadata.name)),
          ],
        }),
      );
      const r = await runLab({
        clusterFile: file,
        node: 'lab-node',
        clusterCIDR: '10.244.0.0/16',
        connections: 60,

        kernelTrace: false,
      });
      if (r.status !== 'passed') console.warn(formatLabReport(r));
      expect(r.status).toBe('passed');
      expect(new Set(r.targets.map((t) => t.service))).toEqual(
        new Set(['lab/web:http', 'lab/dns:dns', 'lab/dns:dns-tcp']),
      );
      expect(namespacesLeft(r)).toEqual([]);
    });

    it('notices when the kernel does not do what the tracer predicts', { timeout: 60_000 }, async () => {
      const { state } = builtinScenario();
      const file = join(dir, 'web.json');
      const web = (name?: string) => name === 'web' || name?.startsWith('web-') === true;
      writeFileSync(
        file,
        JSON.stringify({
          items: [
            ...state.services.filter((s) => web(s.metadata.name)),
            ...state.endpointSlices.filter((s) => web(s.metadata.name)),
          ],
        }),
      );
      // The kernel gets 90 % for the first endpoint; the tracer still reads kube-proxy's 1/3.
      const r = await runLab({
        clusterFile: file,
        node: 'lab-node',
        clusterCIDR: '10.244.0.0/16',
        connections: 120,
        kernelTrace: false,
        alterLoadedRules: (text) =>
          text.replace('--probability 0.33333333349', '--probability 0.90000000000'),
      });
      expect(r.status).toBe('failed');
      const client = r.targets.find((t) => t.origin === 'client');
      expect(client?.checks.find((c) => c.name === 'shares')?.ok).toBe(false);
      expect(formatLabReport(r)).toContain('OUT OF TOLERANCE');
      expect(namespacesLeft(r)).toEqual([]);
    });

    it('refuses endpoints inside its own address range before creating anything', async () => {
      const { state } = builtinScenario();
      const web = state.endpointSlices[0];
      if (!web) throw new Error('the built-in scenario has slices');
      const clash = { ...web, endpoints: [{ addresses: ['198.18.0.2'], nodeName: 'lab-node' }] };
      const file = join(dir, 'clash.json');
      writeFileSync(file, JSON.stringify({ items: [state.services[0], clash] }));
      const before = labNamespaces();
      await expect(runLab({ clusterFile: file, node: 'lab-node' })).rejects.toThrow(
        /inside the lab's own range/,
      );
      expect(labNamespaces()).toEqual(before);
      await expect(runLab({ clusterFile: file })).rejects.toThrow(/--cluster needs --node/);
    });
  });
});

describe.skipIf(labUnavailable('nftables') !== null)('lab in nftables mode', () => {
  it(
    'the kernel running the generated nftables table does what the nftables trace predicts',
    { timeout: 60_000 },
    async () => {
      const r = await runLab({ mode: 'nftables', connections: 120 });
      if (r.status !== 'passed') console.warn(formatLabReport(r));
      expect(r.status).toBe('passed');
      expect(r.targets.length).toBeGreaterThanOrEqual(20);
      expect(namespacesLeft(r)).toEqual([]);
    },
  );
});

describe('lab without the means to run', () => {
  const host = (over: Partial<LabHost>): LabHost => ({
    platform: 'linux',
    uid: 0,
    runs: () => true,
    ...over,
  });

  it('says what is missing, in the order a person would fix it', () => {
    expect(labUnavailable('iptables', host({ platform: 'darwin' }))).toBe(
      'needs Linux network namespaces (this is darwin)',
    );
    expect(labUnavailable('iptables', host({ uid: 1000 }))).toBe('needs root to create network namespaces');
    expect(labUnavailable('iptables', host({ runs: (cmd) => cmd !== 'ip' }))).toMatch(/ip netns/);
    expect(labUnavailable('iptables', host({ runs: (cmd) => cmd !== 'iptables-restore' }))).toMatch(
      /iptables-restore/,
    );
    expect(labUnavailable('iptables', host({ runs: (cmd) => cmd !== 'nft' }))).toBeNull();
    expect(labUnavailable('nftables', host({ runs: (cmd) => cmd !== 'nft' }))).toMatch(/nft/);
  });

  it('returns a skipped report instead of throwing, and creates nothing', async () => {
    const r = await runLab({ host: host({ uid: 1000 }) });
    expect(r).toMatchObject({
      status: 'skipped',
      reason: 'needs root to create network namespaces',
      targets: [],
      namespaces: [],
    });
    expect(formatLabReport(r).split('\n')[0]).toBe('lab skipped: needs root to create network namespaces');
  });
});
