import { curveBumpX, line, scaleLinear } from 'd3';
import { assignLayers } from './layers.js';
import { orderLayers } from './ordering.js';

/**
 * The Service path graph's layout: entries on the left, endpoints on the right.
 * Pure: the same graph always gives the same coordinates; nothing in the input is mutated.
 */

export interface LayoutNodeInput {
  id: string;
  kind: string;
}

export interface LayoutEdgeInput {
  from: string;
  to: string;
  probability: number;
}

export interface LayoutOptions {
  nodeWidth?: number;
  /** Height per node kind (endpoints carry more text). */
  nodeHeight?: (kind: string) => number;
  layerGap?: number;
  rowGap?: number;
  margin?: number;
  /** Kinds placed in the last layer. */
  lastKinds?: readonly string[];
  minEdgeWidth?: number;
  maxEdgeWidth?: number;
  /**
   * Layers are centred vertically up to this height; taller graphs (hundreds of endpoints) put
   * every layer at the top so the entries stay in view instead of floating mid-page.
   */
  maxCenteredHeight?: number;
}

export interface LaidOutNode {
  id: string;
  kind: string;
  layer: number;
  order: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  probability: number;
  /** Stroke width, growing with probability. */
  width: number;
  /** SVG path data (a d3-shape horizontal link). */
  path: string;
  labelX: number;
  labelY: number;
  /** Text anchor for the label: in a fan the label sits at the spread-out end, away from the crowd. */
  labelAnchor: 'start' | 'middle' | 'end';
  /** Position in the input edge list, for looking up rule text. */
  index: number;
}

export interface GraphLayout {
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  layers: string[][];
  width: number;
  height: number;
  crossings: number;
}

const DUMMY_PREFIX = '\u0000via:';
const DUMMY_KIND = '\u0000via';
const DUMMY_HEIGHT = 6;
const LABEL_INSET = 6;
const LABEL_STACK = 13;

export const DEFAULT_LAST_KINDS = ['endpoint', 'drop', 'reject'] as const;

/** Edge width from probability; monotone and clamped so a bad value cannot make a huge stroke. */
export const edgeWidthScale = (min = 1.5, max = 9) =>
  scaleLinear().domain([0, 1]).range([min, max]).clamp(true);

export function layoutGraph(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options: LayoutOptions = {},
): GraphLayout {
  const nodeWidth = options.nodeWidth ?? 200;
  const heightOf = options.nodeHeight ?? (() => 44);
  const layerGap = options.layerGap ?? 90;
  const rowGap = options.rowGap ?? 14;
  const margin = options.margin ?? 16;
  const lastKinds = new Set<string>(options.lastKinds ?? DEFAULT_LAST_KINDS);

  // Copy and dedupe: the first occurrence of an id wins.
  const byId = new Map<string, LayoutNodeInput>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, { id: n.id, kind: n.kind });
  const ids = [...byId.keys()];
  const usable = edges
    .map((e, index) => ({ from: e.from, to: e.to, probability: e.probability, index }))
    .filter((e) => byId.has(e.from) && byId.has(e.to) && e.from !== e.to);

  const last = new Set(ids.filter((id) => lastKinds.has(byId.get(id)?.kind ?? '')));
  const layerOf = new Map(assignLayers({ ids, edges: usable, last }));
  const layerCount = ids.length === 0 ? 0 : Math.max(...layerOf.values()) + 1;

  // Edges that skip layers get a thin placeholder in each layer they cross, so the ordering
  // keeps room for them and they are drawn around nodes instead of through them.
  const kindOf = new Map<string, string>(ids.map((id) => [id, byId.get(id)?.kind ?? '']));
  const routes = new Map<number, string[]>();
  const ordered: Array<{ from: string; to: string }> = [];
  for (const e of usable) {
    const lf = layerOf.get(e.from) ?? 0;
    const lt = layerOf.get(e.to) ?? 0;
    if (lt <= lf + 1) {
      ordered.push(e);
      continue;
    }
    const via: string[] = [];
    for (let l = lf + 1; l < lt; l++) {
      const id = `${DUMMY_PREFIX}${e.index}:${l}`;
      layerOf.set(id, l);
      kindOf.set(id, DUMMY_KIND);
      via.push(id);
    }
    routes.set(e.index, via);
    [e.from, ...via, e.to].forEach((id, i, all) => i > 0 && ordered.push({ from: all[i - 1] ?? id, to: id }));
  }

  const initial: string[][] = Array.from({ length: layerCount }, () => []);
  for (const id of kindOf.keys()) initial[layerOf.get(id) ?? 0]?.push(id);
  const { layers, crossings } = orderLayers({ layers: initial, edges: ordered, layerOf });

  const sizeOf = (id: string) =>
    kindOf.get(id) === DUMMY_KIND ? DUMMY_HEIGHT : heightOf(kindOf.get(id) ?? '');
  const layerHeights = layers.map(
    (l) => l.reduce((h, id) => h + sizeOf(id), 0) + Math.max(0, l.length - 1) * rowGap,
  );
  const inner = Math.max(0, ...layerHeights);

  const placed = new Map<string, LaidOutNode>();
  layers.forEach((layer, li) => {
    const centred = inner <= (options.maxCenteredHeight ?? 1200);
    let y = margin + (centred ? (inner - (layerHeights[li] ?? 0)) / 2 : 0);
    layer.forEach((id, order) => {
      const kind = kindOf.get(id) ?? '';
      const height = sizeOf(id);
      placed.set(id, {
        id,
        kind,
        layer: li,
        order,
        x: margin + li * (nodeWidth + layerGap),
        y,
        width: nodeWidth,
        height,
      });
      y += height + rowGap;
    });
  });

  const widthOf = edgeWidthScale(options.minEdgeWidth, options.maxEdgeWidth);
  const path = line().curve(curveBumpX);
  const mid = (n: LaidOutNode) => n.y + n.height / 2;
  const outDegree = new Map<string, number>();
  const inDegree = new Map<string, number>();
  for (const e of usable) {
    outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
    inDegree.set(e.to, (inDegree.get(e.to) ?? 0) + 1);
  }
  // Parallel edges (e.g. an affinity match and a random branch to the same KUBE-SEP) share a
  // path; their labels are stacked so both stay readable.
  const parallelSeen = new Map<string, number>();
  const laidEdges: LaidOutEdge[] = [];
  for (const e of usable) {
    const pairKey = `${e.from}\u0000${e.to}`;
    const parallel = parallelSeen.get(pairKey) ?? 0;
    parallelSeen.set(pairKey, parallel + 1);
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    const points: Array<[number, number]> = [[a.x + a.width, mid(a)]];
    for (const id of routes.get(e.index) ?? []) {
      const d = placed.get(id);
      if (d) points.push([d.x, mid(d)], [d.x + d.width, mid(d)]);
    }
    points.push([b.x, mid(b)]);
    const p0: [number, number] = points[0] ?? [0, 0];
    const p1: [number, number] = points[1] ?? p0;
    const fanOut =
      (outDegree.get(e.from) ?? 0) > 1 && (outDegree.get(e.from) ?? 0) > (inDegree.get(e.to) ?? 0);
    const fanIn = (inDegree.get(e.to) ?? 0) > 1 && (inDegree.get(e.to) ?? 0) > (outDegree.get(e.from) ?? 0);
    const label: Pick<LaidOutEdge, 'labelX' | 'labelY' | 'labelAnchor'> = fanOut
      ? { labelX: p1[0] - LABEL_INSET, labelY: p1[1], labelAnchor: 'end' }
      : fanIn
        ? { labelX: p0[0] + LABEL_INSET, labelY: p0[1], labelAnchor: 'start' }
        : { labelX: (p0[0] + p1[0]) / 2, labelY: (p0[1] + p1[1]) / 2, labelAnchor: 'middle' };
    laidEdges.push({
      from: e.from,
      to: e.to,
      probability: e.probability,
      width: widthOf(Number.isFinite(e.probability) ? e.probability : 0),
      path: path(points) ?? '',
      ...label,
      labelY: label.labelY + parallel * LABEL_STACK,
      index: e.index,
    });
  }

  return {
    nodes: ids.map((id) => placed.get(id)).filter((n): n is LaidOutNode => n !== undefined),
    edges: laidEdges,
    layers: layers.map((l) => l.filter((id) => kindOf.get(id) !== DUMMY_KIND)),
    width: layerCount === 0 ? 0 : margin * 2 + layerCount * nodeWidth + (layerCount - 1) * layerGap,
    height: layerCount === 0 ? 0 : margin * 2 + inner,
    crossings,
  };
}
