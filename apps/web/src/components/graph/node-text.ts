import type { EndpointDto, GraphNode, ServiceGraph } from '@svcpath/core';
import type { DriftStatus } from '../../layout/drift.js';
import { endpointFor, shareOfChain } from '../../layout/graph-model.js';
import { formatShare } from '../../util/format.js';

/** The words drawn in and around one graph node; shared by the SVG, tooltips and aria labels. */

export const KIND_WORDS: Record<GraphNode['kind'], string> = {
  entry: 'entry point',
  dispatch: 'dispatch (Service lookup)',
  service: 'Service policy (cluster)',
  local: 'node-local policy',
  external: 'external traffic policy',
  firewall: 'load balancer firewall',
  'endpoint-chain': 'endpoint chain',
  endpoint: 'endpoint',
  drop: 'DROP',
  reject: 'REJECT',
  'virtual-server': 'IPVS virtual server',
};

export const NODE_HEIGHT: Record<string, number> = { entry: 34, endpoint: 60, drop: 44, reject: 44 };
export const nodeHeight = (kind: string): number => NODE_HEIGHT[kind] ?? 58;

export function driftWords(status: DriftStatus | undefined, view: 'actual' | 'expected'): string | null {
  if (status === 'only-here') return view === 'actual' ? 'extra: not expected' : 'missing on the node';
  if (status === 'only-other') return view === 'actual' ? 'missing: expected here' : 'extra on the node';
  return null;
}

export interface NodeText {
  lines: Array<{ text: string; className: string }>;
  unready: boolean;
  summary: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function nodeText(
  node: GraphNode,
  graph: ServiceGraph,
  endpoints: readonly EndpointDto[],
  drift: string | null,
): NodeText {
  const marks = [
    node.masquerade ? '⇄ MASQ' : null,
    node.affinitySeconds !== undefined ? `⚓ affinity ${node.affinitySeconds} s` : null,
  ].filter((m): m is string => m !== null);
  const lines: NodeText['lines'] = [];
  let unready = false;
  let summary: string;
  if (node.kind === 'endpoint') {
    const { share, endpoint, address } = endpointFor(node, graph, endpoints);
    const state = endpoint
      ? endpoint.terminating
        ? '◷ terminating'
        : endpoint.ready
          ? '✓ ready'
          : '✕ not ready'
      : 'no pod info';
    unready = endpoint !== null && (!endpoint.ready || endpoint.terminating);
    lines.push({
      text: clip(`${address ?? node.label}${share !== null ? `   ${formatShare(share)}` : ''}`, 32),
      className: 'mono strong',
    });
    lines.push({
      text: clip(endpoint?.pod ? `pod ${endpoint.pod}` : 'no pod (hand-written endpoint)', 29),
      className: '',
    });
    lines.push({
      text: clip(`${endpoint?.nodeName ? `node ${endpoint.nodeName} · ` : ''}${state}`, 34),
      className: 'small',
    });
    summary = `Endpoint ${address ?? node.label}${share !== null ? `, share ${formatShare(share)}` : ''}${endpoint?.pod ? `, pod ${endpoint.pod}` : ''}${endpoint?.nodeName ? ` on ${endpoint.nodeName}` : ''}, ${state.replace(/^\S+ /, '')}`;
  } else if (node.kind === 'drop' || node.kind === 'reject') {
    lines.push({ text: node.kind === 'drop' ? '⊘ DROP' : '✕ REJECT', className: 'strong' });
    lines.push({ text: clip(node.label, 32), className: 'small' });
    summary = `${node.kind.toUpperCase()}: ${node.label}`;
  } else if (node.kind === 'entry') {
    lines.push({ text: clip(node.label, 29), className: 'mono strong' });
    summary = `Entry point ${node.label}`;
  } else {
    const share = node.kind === 'endpoint-chain' ? shareOfChain(node, graph) : null;
    lines.push({ text: clip(node.label, 30), className: 'mono strong' });
    lines.push({
      text: clip(
        [KIND_WORDS[node.kind], share !== null ? formatShare(share) : null].filter(Boolean).join(' · '),
        34,
      ),
      className: 'small',
    });
    if (marks.length) lines.push({ text: marks.join('  '), className: 'small' });
    summary = `${KIND_WORDS[node.kind]} ${node.label}${marks.length ? `, ${marks.join(', ')}` : ''}`;
  }
  if (drift) {
    lines.push({ text: `⚠ ${drift}`, className: 'warn' });
    summary += `, drift: ${drift}`;
  }
  return { lines, unready, summary };
}
