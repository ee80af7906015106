import { describe, expect, it } from 'vitest';
import { defaultProxySettings } from '@svcpath/core';
import type { ClusterState, ProxyMode } from '@svcpath/core';
import { generateExpected, isUnavailable, parseDump, fatalIssue } from './engine.js';

const dualStack: ClusterState = {
  services: [
    {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        clusterIP: '10.96.0.5',
        clusterIPs: ['10.96.0.5', 'fd00:96::5'],
        ipFamilies: ['IPv4', 'IPv6'],
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    },
  ],
  endpointSlices: [
    {
      metadata: { name: 'web-4', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.32.0.9'], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
    {
      metadata: { name: 'web-6', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv6',
      endpoints: [{ addresses: ['fd00:32::9'], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  ],
  pods: [],
  nodes: [],
};

describe('generateExpected', () => {
  it.each<[ProxyMode, string[]]>([
    ['iptables', ['ip6tables', 'iptables']],
    ['nftables', ['nft']],
    ['ipvs', ['ip6tables', 'ipset', 'iptables', 'ipvs']],
  ])('writes both families for a dual-stack cluster in %s mode, each dump readable', (mode, kinds) => {
    const settings = { ...defaultProxySettings('n1', ['192.168.1.2', 'fd00:1::2']), mode };
    const out = generateExpected(dualStack, settings);
    expect(isUnavailable(out)).toBe(false);
    if (isUnavailable(out)) return;
    expect(Object.keys(out).sort()).toEqual(kinds);
    for (const [kind, text] of Object.entries(out)) {
      const parsed = parseDump(kind as 'iptables', text ?? '');
      expect(fatalIssue(parsed), `${mode} ${kind}`).toBeNull();
    }
    const all = Object.values(out).join('\n');
    expect(all).toContain('fd00:32::9');
    expect(all).toContain('10.32.0.9');
  });
});
