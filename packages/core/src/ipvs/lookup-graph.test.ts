import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { buildIpvsGraph } from './graph.js';
import { ipvsLookup } from './lookup.js';
import { parseIpvsadm } from './parse-ipvsadm.js';

const dumps = sharedPath('dumps');

describe.skipIf(!dumps)('dump 10: lookup and graph', () => {
  const state = parseIpvsadm(
    dumps ? readFileSync(join(dumps, '10-calico-ipvs-mode-ipvsadm-Ln.txt'), 'utf8') : '',
  );

  it('finds the virtual service by protocol, address and port', () => {
    const dns = ipvsLookup(state, { src: '192.168.185.20', dst: '10.96.0.10', dport: 53, proto: 'udp' });
    expect(dns?.vs.protocol).toBe('udp');
    expect(dns?.choices.map((c) => [c.server.address, c.probability])).toEqual([
      ['192.168.185.1', 0.5],
      ['192.168.185.3', 0.5],
    ]);
    expect(dns?.persistenceSeconds).toBeNull();
    const api = ipvsLookup(state, { src: '192.168.185.20', dst: '10.96.0.1', dport: 443, proto: 'tcp' });
    expect(api?.choices.map((c) => `${c.server.address}:${c.server.port}`)).toEqual(['192.168.191.153:6443']);
    expect(ipvsLookup(state, { src: '1.1.1.1', dst: '10.96.0.1', dport: 80, proto: 'tcp' })).toBeNull();
    expect(ipvsLookup(state, { src: '1.1.1.1', dst: '10.96.0.1', dport: 443, proto: 'udp' })).toBeNull();
  });

  it('reaches node-port virtual servers on each node address', () => {
    const np = ipvsLookup(state, { src: '203.0.113.9', dst: '172.17.0.1', dport: 31195, proto: 'tcp' });
    expect(np?.choices).toHaveLength(3);
    expect(np?.choices.every((c) => Math.abs(c.probability - 1 / 3) < 1e-12)).toBe(true);
  });

  it('groups node ports with the cluster IP that has the same real servers', () => {
    const graph = buildIpvsGraph(state);
    expect(graph.services.map((s) => s.service)).toEqual([
      '10.96.0.1:443/tcp',
      '10.96.0.10:53/tcp',
      '10.96.0.10:9153/tcp',
      '10.99.180.41:5473/tcp',
      '10.100.49.21:80/tcp',
      '10.101.177.188:443/tcp',
      '10.96.0.10:53/udp',
    ]);
    const web = graph.services.find((s) => s.service === '10.100.49.21:80/tcp');
    expect(web?.entries.map((e) => [e.kind, e.ip, e.port])).toEqual([
      ['clusterIP', '10.100.49.21', 80],
      ['nodePort', '172.17.0.1', 31195],
      ['nodePort', '192.168.185.0', 31195],
      ['nodePort', '192.168.191.153', 31195],
    ]);
    expect(web?.endpoints.map((e) => e.address)).toEqual([
      '192.168.185.13:80',
      '192.168.185.14:80',
      '192.168.185.15:80',
    ]);
    for (const e of web?.endpoints ?? []) expect(e.probability).toBeCloseTo(1 / 3, 12);
    // Every virtual server's outgoing edges sum to 1.
    for (const s of graph.services) {
      for (const n of s.nodes.filter((x) => x.kind === 'virtual-server')) {
        const sum = s.edges.filter((e) => e.from === n.id).reduce((a, e) => a + e.probability, 0);
        expect(sum).toBeCloseTo(1, 12);
      }
    }
  });

  it('uses given names and node addresses', () => {
    const graph = buildIpvsGraph(state, {
      names: { '10.96.0.1:443/tcp': 'default/kubernetes:https' },
      nodeAddresses: ['192.168.191.153'],
    });
    expect(graph.services.some((s) => s.service === 'default/kubernetes:https')).toBe(true);
    // Only 192.168.191.153 is a node address now; the other two 31195 servers count as cluster IPs,
    // so the node port has three candidate services with the same real servers and stays on its own.
    expect(
      graph.services
        .map((s) => s.service)
        .filter((n) => n.endsWith(':31195/tcp'))
        .sort(),
    ).toEqual(['*:31195/tcp', '172.17.0.1:31195/tcp', '192.168.185.0:31195/tcp']);
  });
});
