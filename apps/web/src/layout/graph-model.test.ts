import { describe, it, expect } from 'vitest';
import type { ServiceGraph, TraceOutcome } from '@svcpath/core';
import { compareGraphs, edgeKey } from './drift.js';
import { endpointFor, withEntryNodes } from './graph-model.js';
import { highlightOutcome } from './trace-highlight.js';

const rule = (chain: string, text: string) => ({ table: 'nat', chain, rule: 1, text });

const graph: ServiceGraph = {
  service: 'default/web:http',
  protocol: 'tcp',
  chain: 'KUBE-SVC-A',
  entries: [
    {
      kind: 'clusterIP',
      ip: '10.96.0.10',
      port: 80,
      target: 'KUBE-SVC-A',
      rule: rule('KUBE-SERVICES', '-A KUBE-SERVICES -d 10.96.0.10/32 -j KUBE-SVC-A'),
    },
  ],
  endpoints: [
    { address: '10.244.1.5:8080', chain: 'KUBE-SEP-1', probability: 0.5 },
    { address: '10.244.2.7:8080', chain: 'KUBE-SEP-2', probability: 0.5 },
  ],
  nodes: [
    { id: 'KUBE-SVC-A', kind: 'service', label: 'KUBE-SVC-A' },
    { id: 'KUBE-SEP-1', kind: 'endpoint-chain', label: 'KUBE-SEP-1', masquerade: true },
    { id: 'KUBE-SEP-2', kind: 'endpoint-chain', label: 'KUBE-SEP-2' },
    { id: '10.244.1.5:8080', kind: 'endpoint', label: '10.244.1.5:8080' },
    { id: '10.244.2.7:8080', kind: 'endpoint', label: '10.244.2.7:8080' },
  ],
  edges: [
    { from: 'KUBE-SVC-A', to: 'KUBE-SEP-1', probability: 0.5, rule: null },
    { from: 'KUBE-SVC-A', to: 'KUBE-SEP-2', probability: 1, rule: null },
    { from: 'KUBE-SEP-1', to: '10.244.1.5:8080', probability: 1, rule: null },
    { from: 'KUBE-SEP-2', to: '10.244.2.7:8080', probability: 1, rule: null },
  ],
  warnings: [],
};

describe('withEntryNodes', () => {
  it('adds entry nodes joined to their target when the graph lists entries only', () => {
    const g = withEntryNodes(graph);
    expect(g.nodes[0]).toEqual({ id: 'entry:0', kind: 'entry', label: 'cluster IP 10.96.0.10:80' });
    expect(g.edges[0]?.to).toBe('KUBE-SVC-A');
  });
});

describe('endpointFor', () => {
  it('joins an endpoint node to its pod and effective share', () => {
    const ep = {
      address: '10.244.1.5',
      port: 8080,
      portName: 'http',
      protocol: 'TCP' as const,
      ready: true,
      serving: true,
      terminating: false,
      nodeName: 'n1',
      zone: null,
      pod: 'web-1',
    };
    const r = endpointFor(graph.nodes[3] as ServiceGraph['nodes'][number], graph, [ep]);
    expect(r.share).toBe(0.5);
    expect(r.endpoint?.pod).toBe('web-1');
  });
});

describe('compareGraphs', () => {
  it('marks missing endpoints, extra nodes and changed probabilities', () => {
    const actual = withEntryNodes(graph);
    const expected = withEntryNodes({
      ...graph,
      nodes: [
        ...graph.nodes.filter((n) => n.id !== 'KUBE-SEP-2' && n.id !== '10.244.2.7:8080'),
        { id: 'KUBE-SEP-3', kind: 'endpoint-chain', label: 'KUBE-SEP-3' },
      ],
      edges: [
        { from: 'KUBE-SVC-A', to: 'KUBE-SEP-1', probability: 0.33333, rule: null },
        { from: 'KUBE-SVC-A', to: 'KUBE-SEP-3', probability: 1, rule: null },
        { from: 'KUBE-SEP-1', to: '10.244.1.5:8080', probability: 1, rule: null },
      ],
    });
    const d = compareGraphs(actual, expected);
    expect(d.nodes.get('KUBE-SEP-2')).toBe('only-here');
    expect(d.nodes.get('KUBE-SEP-3')).toBe('only-other');
    expect(d.edges.get(edgeKey({ from: 'KUBE-SVC-A', to: 'KUBE-SEP-1' }))).toEqual({
      status: 'changed',
      otherProbability: 0.33333,
    });
    expect(d.merged.nodes.map((n) => n.id)).toContain('KUBE-SEP-3');
    expect(d.count).toBe(4);
    expect(compareGraphs(actual, actual).count).toBe(0);
  });
});

describe('highlightOutcome', () => {
  it('highlights the chains walked and the endpoint reached', () => {
    const g = withEntryNodes(graph);
    const outcome: TraceOutcome = {
      probability: 0.5,
      verdict: 'ACCEPT',
      dnat: '10.244.1.5:8080',
      masquerade: false,
      assumptions: [],
      affinity: null,
      notes: [],
      path: [
        {
          table: 'nat',
          chain: 'KUBE-SERVICES',
          rule: 1,
          text: '-A KUBE-SERVICES …',
          action: 'jump KUBE-SVC-A',
        },
        { table: 'nat', chain: 'KUBE-SVC-A', rule: 1, text: '-A KUBE-SVC-A …', action: 'jump KUBE-SEP-1' },
        {
          table: 'nat',
          chain: 'KUBE-SEP-1',
          rule: 2,
          text: '-A KUBE-SEP-1 …',
          action: 'DNAT 10.244.1.5:8080',
        },
      ],
    };
    const h = highlightOutcome(g, outcome, { ip: '10.96.0.10', port: 80 });
    expect([...h.nodes].sort()).toEqual(['10.244.1.5:8080', 'KUBE-SEP-1', 'KUBE-SVC-A', 'entry:0'].sort());
    expect(h.edges.has(edgeKey({ from: 'KUBE-SVC-A', to: 'KUBE-SEP-2' }))).toBe(false);
    expect(h.edges.has(edgeKey({ from: 'KUBE-SEP-1', to: '10.244.1.5:8080' }))).toBe(true);
  });
});

describe('highlightOutcome with IPVS', () => {
  it('finds the virtual server the packet was scheduled by', () => {
    const g = {
      nodes: [
        { id: 'entry:0', kind: 'entry' as const, label: '10.96.0.61:80' },
        { id: 'vs:1', kind: 'virtual-server' as const, label: 'TCP 10.96.0.61:80 rr' },
        { id: 'vs:2', kind: 'virtual-server' as const, label: 'TCP 198.51.100.8:80 rr' },
        { id: 'ep:1', kind: 'endpoint' as const, label: '10.36.0.50:8080' },
      ],
      edges: [
        { from: 'entry:0', to: 'vs:1', probability: 1, rule: null },
        { from: 'vs:1', to: 'ep:1', probability: 0.5, rule: null },
        { from: 'vs:2', to: 'ep:1', probability: 0.5, rule: null },
      ],
    };
    const outcome: TraceOutcome = {
      probability: 0.5,
      verdict: 'ACCEPT',
      dnat: '10.36.0.50:8080',
      masquerade: false,
      assumptions: [],
      affinity: null,
      notes: [],
      path: [
        {
          table: 'ipvs',
          chain: '-A -t 10.96.0.61:80 -s rr',
          rule: null,
          text: '-A -t 10.96.0.61:80 -s rr',
          action: 'schedule to 10.36.0.50:8080',
        },
      ],
    };
    const h = highlightOutcome(g, outcome, { ip: '10.96.0.61', port: 80 });
    expect([...h.nodes].sort()).toEqual(['entry:0', 'ep:1', 'vs:1']);
    expect(h.edges.size).toBe(2);
  });
});
