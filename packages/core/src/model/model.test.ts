import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKubeObjects } from './parse-objects.js';
import { defaultProxySettings, proxySettingsFromConfig } from './proxy-config.js';
import type { Node } from './types.js';

describe('parseKubeObjects', () => {
  it('reads a kubectl List with mixed kinds and reports bad entries by path', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          kind: 'Service',
          metadata: { name: 'a', namespace: 'x' },
          spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] },
        },
        {
          kind: 'EndpointSlice',
          metadata: { name: 'a-1', namespace: 'x', labels: {} },
          addressType: 'IPv4',
          endpoints: [],
        },
        { kind: 'Pod', metadata: { name: 'p' } },
        { kind: 'Node', metadata: { name: 'n' } },
        { kind: 'ConfigMap', metadata: { name: 'c' } },
        { kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: '80' }] } },
        { kind: 'EndpointSlice', metadata: { name: 'bad', labels: {} }, addressType: 'Weird' },
      ],
    };
    const { state, issues } = parseKubeObjects(list);
    expect([
      state.services.length,
      state.endpointSlices.length,
      state.pods.length,
      state.nodes.length,
    ]).toEqual([1, 1, 1, 1]);
    expect(issues.map((i) => [i.severity, i.path])).toEqual([
      ['warning', 'items[4]'],
      ['error', 'items[5].spec.ports[0]'],
      ['error', 'items[6].addressType'],
    ]);
  });
  it('accepts arrays, single objects and nested lists; rejects garbage without throwing', () => {
    expect(parseKubeObjects([{ kind: 'Node', metadata: { name: 'n' } }]).state.nodes).toHaveLength(1);
    expect(parseKubeObjects({ kind: 'Pod', metadata: { name: 'p' } }).state.pods).toHaveLength(1);
    expect(
      parseKubeObjects({
        items: [{ kind: 'ServiceList', items: [{ kind: 'Service', metadata: { name: 's' }, spec: {} }] }],
      }).state.services,
    ).toHaveLength(1);
    fc.assert(fc.property(fc.jsonValue(), (v) => void parseKubeObjects(v)));
    expect(parseKubeObjects(42).issues[0]?.severity).toBe('error');
  });
});

describe('proxy settings', () => {
  const node: Node = {
    metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } },
    spec: { podCIDR: '10.244.1.0/24' },
    status: {
      addresses: [
        { type: 'Hostname', address: 'n1' },
        { type: 'ExternalIP', address: '203.0.113.9' },
        { type: 'InternalIP', address: '192.168.0.2' },
      ],
    },
  };
  it('applies kube-proxy defaults', () => {
    const { settings, issues } = proxySettingsFromConfig(
      { kind: 'KubeProxyConfiguration', mode: '', clusterCIDR: '10.244.0.0/16' },
      { name: 'n1', node },
    );
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({
      mode: 'iptables',
      masqueradeBit: 14,
      localhostNodePorts: true,
      detectLocalMode: 'ClusterCIDR',
      clusterCIDRs: ['10.244.0.0/16'],
      nodeIPs: ['192.168.0.2', '203.0.113.9'],
      nodePodCIDRs: ['10.244.1.0/24'],
      zone: 'z1',
    });
  });
  it('reads mode sections, feature gates and overrides; reports bad values', () => {
    const { settings, issues } = proxySettingsFromConfig(
      {
        mode: 'nftables',
        detectLocalMode: 'InterfaceNamePrefix',
        detectLocal: { interfaceNamePrefix: 'cali' },
        nftables: { masqueradeBit: 99 },
        featureGates: { PreferSameTrafficDistribution: false },
        nodePortAddresses: ['not-a-cidr'],
      },
      { name: 'n1', node, overrides: { masqueradeAll: true } },
    );
    expect(settings.mode).toBe('nftables');
    expect(settings.detectLocalInterface).toBe('cali');
    expect(settings.masqueradeBit).toBe(14);
    expect(settings.masqueradeAll).toBe(true);
    expect(settings.featureGates['PreferSameTrafficDistribution']).toBe(false);
    expect(settings.nodePortAddresses).toEqual(['primary']);
    expect(issues.map((i) => i.path)).toEqual(['nftables.masqueradeBit', 'nodePortAddresses[0]']);
  });
  it('defaultProxySettings', () => {
    expect(defaultProxySettings('n', ['10.0.0.1']).detectLocalMode).toBe('None');
  });
});
