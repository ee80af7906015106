import type { EndpointDto, GraphEdge, GraphNode, ServiceGraph } from '@svcpath/core';
import { edgeKey, type DriftMarks } from '../../layout/drift.js';
import type { DrawableGraph } from '../../layout/graph-model.js';
import {
  layoutGraph,
  type GraphLayout,
  type LaidOutEdge,
  type LaidOutNode,
} from '../../layout/layered-layout.js';
import type { Highlight } from '../../layout/trace-highlight.js';
import { formatProbability } from '../../util/format.js';
import { driftWords, nodeHeight, nodeText, type NodeText } from './node-text.js';

/** Everything the SVG needs for one graph, computed once per change of data, not per frame. */

export const NODE_WIDTH = 212;
const LAYER_GAP = 110;

export interface NodeDrawing {
  node: GraphNode;
  laid: LaidOutNode;
  className: string;
  lines: NodeText['lines'];
  summary: string;
  drift: string | null;
}

export interface EdgeDrawing {
  edge: GraphEdge;
  laid: LaidOutEdge;
  className: string;
  highlighted: boolean;
  /** The words drawn on the edge. */
  text: string;
  /** Probability, the other view's when it differs, and drift words: the tooltip's line. */
  label: string;
  aria: string;
}

export interface GraphDrawingModel {
  layout: GraphLayout;
  /** Parallel to layout.nodes. */
  nodes: NodeDrawing[];
  /**
   * The drawing of `layout.edges[i]`, made when first asked for: the page draws the few edges
   * around the view, so the words of thousands of others are never built.
   */
  edgeAt: (i: number) => EdgeDrawing | undefined;
  /** Indices into layout.edges of highlighted edges that leave by a bus (their whole route is marked). */
  highlightedRoutes: number[];
  dimmed: boolean;
}

const MAX_CACHED_LAYOUTS = 6;
const layouts = new Map<string, GraphLayout>();

/** The structure the layout depends on: ids, kinds and edges with their probabilities. */
function signature(graph: DrawableGraph): string {
  const parts: string[] = [];
  for (const n of graph.nodes) parts.push(`${n.id}\u0001${n.kind}`);
  parts.push('\u0003');
  for (const e of graph.edges) parts.push(`${e.from}\u0001${e.to}\u0001${e.probability}`);
  return parts.join('\u0002');
}

/**
 * The layout of a graph, reused while its structure stays the same: a live update that
 * re-sends an unchanged graph (new objects, same content) does not lay it out again.
 */
export function layoutFor(graph: DrawableGraph): GraphLayout {
  const key = signature(graph);
  const cached = layouts.get(key);
  if (cached) {
    // Most recently used last.
    layouts.delete(key);
    layouts.set(key, cached);
    return cached;
  }
  const layout = layoutGraph(graph.nodes, graph.edges, {
    nodeWidth: NODE_WIDTH,
    nodeHeight,
    layerGap: LAYER_GAP,
  });
  layouts.set(key, layout);
  for (const old of layouts.keys()) {
    if (layouts.size <= MAX_CACHED_LAYOUTS) break;
    layouts.delete(old);
  }
  return layout;
}

/**
 * Words and drawings of nodes, kept per node object: when only the other view arrives or a
 * trace highlight changes, unchanged boxes keep their drawing object and are not redrawn.
 */
const texts = new WeakMap<
  GraphNode,
  { graph: ServiceGraph; endpoints: readonly EndpointDto[]; drift: string | null; text: NodeText }
>();
const drawings = new WeakMap<GraphNode, NodeDrawing>();

function textOf(
  node: GraphNode,
  graph: ServiceGraph,
  endpoints: readonly EndpointDto[],
  drift: string | null,
): NodeText {
  const cached = texts.get(node);
  if (cached && cached.graph === graph && cached.endpoints === endpoints && cached.drift === drift)
    return cached.text;
  const text = nodeText(node, graph, endpoints, drift);
  texts.set(node, { graph, endpoints, drift, text });
  return text;
}

export interface DrawingInput {
  graph: ServiceGraph;
  endpoints: readonly EndpointDto[];
  view: 'actual' | 'expected';
  drift: DriftMarks;
  layout: GraphLayout;
  highlight?: Highlight | null;
}

export function buildDrawing({
  graph,
  endpoints,
  view,
  drift,
  layout,
  highlight,
}: DrawingInput): GraphDrawingModel {
  const merged = drift.merged;
  const nodeById = new Map<string, GraphNode>();
  for (const n of merged.nodes) if (!nodeById.has(n.id)) nodeById.set(n.id, n);
  const labelOf = (id: string) => nodeById.get(id)?.label ?? id;

  const nodes: NodeDrawing[] = [];
  // Both lists stay parallel to the layout's: every laid-out id comes from `merged`.
  for (const laid of layout.nodes) {
    const node = nodeById.get(laid.id) ?? { id: laid.id, kind: 'service', label: laid.id };
    const status = drift.nodes.get(node.id);
    const dw = driftWords(status, view);
    const t = textOf(node, graph, endpoints, dw);
    const hl = highlight?.nodes.has(node.id) ?? false;
    const className = `node kind-${node.kind}${t.unready ? ' unready' : ''}${dw ? ' drift' : ''}${status === 'only-other' ? ' ghost' : ''}${hl ? ' hl' : ''}`;
    const old = drawings.get(node);
    const d =
      old && old.laid === laid && old.className === className && old.lines === t.lines && old.drift === dw
        ? old
        : { node, laid, className, lines: t.lines, summary: t.summary, drift: dw };
    drawings.set(node, d);
    nodes.push(d);
  }

  const edgeDrawing = (laid: LaidOutEdge): EdgeDrawing => {
    const edge = merged.edges[laid.index] ?? {
      from: laid.from,
      to: laid.to,
      probability: laid.probability,
      rule: null,
    };
    const key = edgeKey(edge);
    const d = drift.edges.get(key);
    const isDrift = d !== undefined && d.status !== 'same';
    const highlighted = highlight?.edges.has(key) ?? false;
    let label = formatProbability(edge.probability);
    if (d?.status === 'changed' && d.otherProbability !== undefined)
      label += ` (${view === 'actual' ? 'expected' : 'actual'} ${formatProbability(d.otherProbability)})`;
    const driftText = d ? driftWords(d.status, view) : null;
    // The box at the end of the edge carries the full drift words; the edge a short mark.
    const shown = driftText ? `${label} ⚠ ${driftText.split(/[: ]/)[0]}` : label;
    if (driftText) label += ` ⚠ ${driftText}`;
    const cond =
      edge.condition && !driftText
        ? ` · ${edge.condition.length > 16 ? `${edge.condition.slice(0, 15)}…` : edge.condition}`
        : '';
    return {
      edge,
      laid,
      className: `edge${isDrift ? ' drift' : ''}${highlighted ? ' hl' : ''}`,
      highlighted,
      text: `${shown}${cond}`,
      label,
      aria: `Edge from ${labelOf(edge.from)} to ${labelOf(edge.to)}, probability ${label}${edge.condition ? `, ${edge.condition}` : ''}`,
    };
  };
  const made: Array<EdgeDrawing | undefined> = [];
  const edgeAt = (i: number): EdgeDrawing | undefined => {
    const laid = layout.edges[i];
    if (!laid) return undefined;
    return (made[i] ??= edgeDrawing(laid));
  };
  const highlightedRoutes: number[] = [];
  if (highlight && highlight.edges.size > 0)
    layout.edges.forEach((laid, i) => {
      if (laid.route && edgeAt(i)?.highlighted) highlightedRoutes.push(i);
    });

  return {
    layout,
    nodes,
    edgeAt,
    highlightedRoutes,
    dimmed: highlight !== null && highlight !== undefined && highlight.nodes.size > 0,
  };
}
