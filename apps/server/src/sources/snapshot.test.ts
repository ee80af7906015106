import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SnapshotClusterSource } from './snapshot.js';

// What `kubectl get svc,endpointslices,pods,nodes -A -o json` prints (trimmed), for kube-dns.
const kubectlList = {
  apiVersion: 'v1',
  kind: 'List',
  metadata: { resourceVersion: '' },
  items: [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
        resourceVersion: '215',
        creationTimestamp: '2026-03-01T10:00:00Z',
      },
      spec: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ipFamilies: ['IPv4'],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
    {
      addressType: 'IPv4',
      apiVersion: 'discovery.k8s.io/v1',
      endpoints: [
        {
          addresses: ['10.32.0.3'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'node-1',
        },
        {
          addresses: ['10.32.0.4'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'node-2',
        },
      ],
      kind: 'EndpointSlice',
      metadata: {
        name: 'kube-dns-7x2kq',
        namespace: 'kube-system',
        labels: {
          'kubernetes.io/service-name': 'kube-dns',
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
      },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'coredns-5d78c9869d-abcde',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns' },
      },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'coredns', ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }] }],
      },
      status: {
        phase: 'Running',
        podIP: '10.32.0.3',
        podIPs: [{ ip: '10.32.0.3' }],
        hostIP: '192.168.56.11',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: { podCIDR: '10.32.0.0/24', podCIDRs: ['10.32.0.0/24'] },
      status: {
        addresses: [
          { type: 'InternalIP', address: '192.168.56.11' },
          { type: 'Hostname', address: 'node-1' },
        ],
      },
    },
  ],
};

describe('SnapshotClusterSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'svcpath-snapshot-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads kubectl List output and kube-proxy-config.yaml, ready with counts and file times', async () => {
    await writeFile(join(dir, 'cluster.json'), JSON.stringify(kubectlList, null, 2));
    await utimes(
      join(dir, 'cluster.json'),
      new Date('2026-03-02T08:00:00Z'),
      new Date('2026-03-02T08:00:00Z'),
    );
    await writeFile(
      join(dir, 'kube-proxy-config.yaml'),
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nclusterCIDR: 10.32.0.0/12\nipvs:\n  scheduler: rr\n',
    );
    const source = new SnapshotClusterSource(dir);
    const statuses: string[] = [];
    source.onStatus((s) => statuses.push(s.state));
    await source.start();

    const status = source.status();
    expect(status).toMatchObject({ kind: 'snapshot', name: dir, state: 'ready' });
    expect(status.resources.services).toEqual({
      state: 'ready',
      count: 1,
      lastSyncedAt: '2026-03-02T08:00:00.000Z',
    });
    expect(status.resources.endpointslices.count).toBe(1);
    expect(status.resources.pods.count).toBe(1);
    expect(status.resources.nodes.count).toBe(1);
    expect(status.resources['kube-proxy-config']).toMatchObject({ state: 'ready', count: 1 });
    expect(statuses).toEqual(['ready']);

    const snap = source.snapshot();
    expect(snap.services[0]?.spec.ports?.map((p) => p.name)).toEqual(['dns', 'dns-tcp', 'metrics']);
    expect(snap.endpointSlices[0]?.endpoints?.map((e) => e.addresses[0])).toEqual(['10.32.0.3', '10.32.0.4']);
    expect(snap.pods[0]?.status?.podIP).toBe('10.32.0.3');
    expect(snap.nodes[0]?.metadata.name).toBe('node-1');
    expect(snap.proxyConfig).toEqual({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'ipvs',
      clusterCIDR: '10.32.0.0/12',
      ipvs: { scheduler: 'rr' },
    });
  });

  it('uses kube-proxy defaults when there is no kube-proxy-config.yaml', async () => {
    await writeFile(join(dir, 'cluster.json'), JSON.stringify(kubectlList));
    const source = new SnapshotClusterSource(dir);
    await source.start();
    expect(source.status().resources['kube-proxy-config']).toEqual({
      state: 'ready',
      message: 'not found: defaults used',
      count: 0,
    });
    expect(source.snapshot().proxyConfig).toBeUndefined();
    expect(source.status().state).toBe('ready');
  });

  it('charges a skipped object to its resource, with its path, and keeps the rest', async () => {
    const broken = structuredClone(kubectlList);
    broken.items.push(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'no-spec', namespace: 'default' } } as never,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ignored', namespace: 'default' } } as never,
    );
    await writeFile(join(dir, 'cluster.json'), JSON.stringify(broken));
    const source = new SnapshotClusterSource(dir);
    await source.start();
    const { resources, state } = source.status();
    expect(state).toBe('ready');
    expect(resources.services.count).toBe(1);
    expect(resources.services.message).toBe(
      'cluster.json: 1 object(s) skipped (first: items[4].spec: Service without spec; skipped)',
    );
    expect(resources.pods.message).toBeUndefined();
    expect(source.issues().map((i) => [i.severity, i.path])).toEqual([
      ['error', 'items[4].spec'],
      ['warning', 'items[5]'],
    ]);
  });

  it('accepts YAML with items, and a bare array of objects', async () => {
    await writeFile(
      join(dir, 'cluster.json'),
      'items:\n- kind: Node\n  metadata: {name: n1}\n- kind: Node\n  metadata: {name: n2}\n',
    );
    const yamlSource = new SnapshotClusterSource(dir);
    await yamlSource.start();
    expect(yamlSource.snapshot().nodes.map((n) => n.metadata.name)).toEqual(['n1', 'n2']);

    await writeFile(join(dir, 'cluster.json'), JSON.stringify(kubectlList.items));
    const arraySource = new SnapshotClusterSource(dir);
    await arraySource.start();
    expect(arraySource.status().resources.services.count).toBe(1);
  });

  it('shows a missing directory or cluster.json as an error status, without throwing', async () => {
    const source = new SnapshotClusterSource(join(dir, 'does-not-exist'));
    await source.start();
    const status = source.status();
    expect(status.state).toBe('error');
    expect(status.resources.services).toEqual({
      state: 'error',
      message: `cluster.json not found in ${join(dir, 'does-not-exist')}`,
      count: 0,
    });
    expect(source.snapshot()).toEqual({ services: [], endpointSlices: [], pods: [], nodes: [] });
  });

  it('reports syntax errors with their line', async () => {
    await writeFile(join(dir, 'cluster.json'), '{\n  "items": [\n    { "kind": "Node",, }\n  ]\n}\n');
    await writeFile(join(dir, 'kube-proxy-config.yaml'), 'mode: ipvs\nipvs:\n  scheduler: [rr\n');
    const source = new SnapshotClusterSource(dir);
    await source.start();
    const { resources, state } = source.status();
    expect(state).toBe('error');
    expect(resources.nodes.message).toMatch(/^cluster\.json: line 3: /);
    expect(resources['kube-proxy-config'].state).toBe('error');
    expect(resources['kube-proxy-config'].message).toMatch(/^kube-proxy-config\.yaml: line \d+: /);
  });

  it('never throws on arbitrary file contents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 120 }), fc.json()),
        fc.string({ maxLength: 80 }),
        async (cluster, proxy) => {
          await writeFile(join(dir, 'cluster.json'), cluster);
          await writeFile(join(dir, 'kube-proxy-config.yaml'), proxy);
          const source = new SnapshotClusterSource(dir);
          await source.start();
          expect(['ready', 'degraded', 'error']).toContain(source.status().state);
        },
      ),
      { numRuns: 60 },
    );
  });
});
