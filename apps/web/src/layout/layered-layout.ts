import { scaleLinear } from 'd3';
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
  /** What the edge and its label cover, for drawing only what is in view. */
  box: Box;
  /** The fan this edge leaves its source by (an index into `buses`), when it has one. */
  bus?: number;
  /** With a bus: the whole way from the source, drawn when the edge is highlighted. */
  route?: string;
}

/** An axis-aligned rectangle in layout coordinates. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * A wide fan (hundreds of endpoint chains behind one Service chain) leaves its source as one
 * trunk and a vertical bus; each edge then draws only its own short branch from the bus.
 */
export interface LaidOutBus {
  from: string;
  path: string;
  width: number;
  box: Box;
}

export interface GraphLayout {
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  buses: LaidOutBus[];
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
/** Room an edge label may take beside its anchor (its text is at most ~30 characters of 11 px). */
const LABEL_ROOM = 190;
/** Fans of at least this many edges into the next layer are drawn with a bus. */
export const BUS_MIN_FAN = 16;
const BUS_WIDTH = 2.5;

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
  let layerCount = 0;
  for (const l of layerOf.values()) layerCount = Math.max(layerCount, l + 1);

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

  const centred = inner <= (options.maxCenteredHeight ?? 1200);
  // Tall graphs put every node on rows of one pitch, shared by all layers, in the row of its
  // predecessors when that row is free: a KUBE-SEP chain and its endpoint (boxes of different
  // heights) stay side by side a thousand rows down instead of drifting apart.
  const rows = centred ? null : assignRows(layers, ordered);
  let pitch = 0;
  for (const id of kindOf.keys()) pitch = Math.max(pitch, sizeOf(id) + rowGap);
  let rowCount = 0;
  const placed = new Map<string, LaidOutNode>();
  layers.forEach((layer, li) => {
    let y = margin + (centred ? (inner - (layerHeights[li] ?? 0)) / 2 : 0);
    layer.forEach((id, order) => {
      const kind = kindOf.get(id) ?? '';
      const height = sizeOf(id);
      const row = rows?.get(id);
      if (row !== undefined) {
        y = margin + row * pitch;
        rowCount = Math.max(rowCount, row + 1);
      }
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
  const innerHeight = rows ? rowCount * pitch - rowGap : inner;

  const mid = (n: LaidOutNode) => n.y + n.height / 2;
  const outDegree = new Map<string, number>();
  const inDegree = new Map<string, number>();
  // Edges into the very next layer, per source: a wide fan of them gets a bus.
  const fanOut = new Map<string, LaidOutNode[]>();
  for (const e of usable) {
    outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
    inDegree.set(e.to, (inDegree.get(e.to) ?? 0) + 1);
    const b = placed.get(e.to);
    if (!routes.has(e.index) && b && b.layer === (layerOf.get(e.from) ?? 0) + 1)
      (fanOut.get(e.from) ?? fanOut.set(e.from, []).get(e.from))?.push(b);
  }
  const buses: LaidOutBus[] = [];
  const busOf = new Map<string, { index: number; x: number; y: number }>();
  for (const [from, targets] of fanOut) {
    const a = placed.get(from);
    if (targets.length < BUS_MIN_FAN || !a) continue;
    let y0 = mid(a);
    let y1 = y0;
    let xTo = Infinity;
    for (const b of targets) {
      y0 = Math.min(y0, mid(b));
      y1 = Math.max(y1, mid(b));
      xTo = Math.min(xTo, b.x);
    }
    const x = (a.x + a.width + xTo) / 2;
    busOf.set(from, { index: buses.length, x, y: mid(a) });
    buses.push({
      from,
      path: `M${a.x + a.width},${mid(a)}H${x}M${x},${y0}V${y1}`,
      width: BUS_WIDTH,
      box: { x0: a.x + a.width, y0: y0 - BUS_WIDTH, x1: x + BUS_WIDTH, y1: y1 + BUS_WIDTH },
    });
  }
  const minWidth = options.minEdgeWidth ?? 1.5;
  const maxWidth = options.maxEdgeWidth ?? 9;
  const laidEdges: LaidOutEdge[] = [];
  for (const e of usable) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    const via = routes.get(e.index);
    const points: Array<[number, number]> = [[a.x + a.width, mid(a)]];
    if (via)
      for (const id of via) {
        const d = placed.get(id);
        if (d) points.push([d.x, mid(d)], [d.x + d.width, mid(d)]);
      }
    points.push([b.x, mid(b)]);
    const [x0, y0] = points[0] ?? [0, 0];
    const [x1, y1] = points[1] ?? [x0, y0];
    const outs = outDegree.get(e.from) ?? 0;
    const ins = inDegree.get(e.to) ?? 0;
    const anchor: LaidOutEdge['labelAnchor'] =
      outs > 1 && outs > ins ? 'end' : ins > 1 && ins > outs ? 'start' : 'middle';
    const labelX =
      anchor === 'end' ? x1 - LABEL_INSET : anchor === 'start' ? x0 + LABEL_INSET : (x0 + x1) / 2;
    const labelY = anchor === 'end' ? y1 : anchor === 'start' ? y0 : (y0 + y1) / 2;
    // What d3's clamped linear scale (edgeWidthScale) gives, without a call through it per edge.
    const t = Number.isFinite(e.probability) ? Math.min(1, Math.max(0, e.probability)) : 0;
    const width = minWidth * (1 - t) + maxWidth * t;
    const bus = busOf.get(e.from);
    const edge: LaidOutEdge = {
      from: e.from,
      to: e.to,
      probability: e.probability,
      width,
      path: '',
      labelX,
      labelY,
      labelAnchor: anchor,
      index: e.index,
      box: { x0: 0, y0: 0, x1: 0, y1: 0 },
    };
    if (bus !== undefined && points.length === 2 && b.layer === a.layer + 1) {
      // With a bus the edge's own line is the branch from the bus to its target.
      edge.path = `M${bus.x},${y1}H${x1}`;
      edge.box = edgeBox(
        [
          [bus.x, y1],
          [x1, y1],
        ],
        width,
        edge,
      );
      edge.bus = bus.index;
      edge.route = `M${x0},${y0}H${bus.x}V${y1}H${x1}`;
    } else {
      edge.path = bumpPath(points);
      edge.box = edgeBox(points, width, edge);
    }
    laidEdges.push(edge);
  }
  separateLabels(laidEdges);

  return {
    nodes: ids.map((id) => placed.get(id)).filter((n): n is LaidOutNode => n !== undefined),
    edges: laidEdges,
    buses,
    layers: layers.map((l) => l.filter((id) => kindOf.get(id) !== DUMMY_KIND)),
    width: layerCount === 0 ? 0 : margin * 2 + layerCount * nodeWidth + (layerCount - 1) * layerGap,
    height: layerCount === 0 ? 0 : margin * 2 + innerHeight,
    crossings,
  };
}

/**
 * Labels anchored at the same x that would overlap (parallel edges such as an affinity match and
 * a random branch to one KUBE-SEP; edges whose ends sit a few pixels apart) are pushed down in y
 * order until each has its own line, and their edges' boxes grow to hold them.
 */
export function separateLabels(edges: LaidOutEdge[]): void {
  const groups = new Map<string, LaidOutEdge[]>();
  for (const e of edges) {
    const key = `${e.labelAnchor}:${Math.round(e.labelX)}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.labelY - b.labelY);
    for (let i = 1; i < group.length; i++) {
      const above = group[i - 1];
      const e = group[i];
      if (!above || !e || e.labelY - above.labelY >= LABEL_STACK) continue;
      e.labelY = above.labelY + LABEL_STACK;
      e.box = { ...e.box, y0: Math.min(e.box.y0, e.labelY - 18), y1: Math.max(e.box.y1, e.labelY + 2) };
    }
  }
}

/**
 * The box an edge is drawn in: its points (a bump curve stays within them), its stroke, and the
 * room its label may take on the side its anchor leaves open.
 */
function edgeBox(
  points: ReadonlyArray<readonly [number, number]>,
  width: number,
  label: Pick<LaidOutEdge, 'labelX' | 'labelY' | 'labelAnchor'>,
): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const half = width / 2;
  const lx0 =
    label.labelAnchor === 'end'
      ? label.labelX - LABEL_ROOM
      : label.labelAnchor === 'middle'
        ? label.labelX - LABEL_ROOM / 2
        : label.labelX;
  return {
    x0: Math.min(x0 - half, lx0),
    y0: Math.min(y0 - half, label.labelY - 18),
    x1: Math.max(x1 + half, lx0 + LABEL_ROOM),
    y1: Math.max(y1 + half, label.labelY + 2),
  };
}

/**
 * A row for each node: the first layer takes rows 0, 1, 2…; later nodes take the median row of
 * their predecessors, or the next free row below the node above them in their layer.
 */
function assignRows(
  layers: readonly string[][],
  edges: ReadonlyArray<{ from: string; to: string }>,
): Map<string, number> {
  const preds = new Map<string, string[]>();
  for (const e of edges) (preds.get(e.to) ?? preds.set(e.to, []).get(e.to))?.push(e.from);
  const rows = new Map<string, number>();
  const from: number[] = [];
  for (const layer of layers) {
    let last = -1;
    for (const id of layer) {
      from.length = 0;
      for (const p of preds.get(id) ?? []) {
        const r = rows.get(p);
        if (r !== undefined) from.push(r);
      }
      if (from.length > 1) from.sort((a, b) => a - b);
      const wanted = from[(from.length - 1) >> 1] ?? last + 1;
      last = Math.max(wanted, last + 1);
      rows.set(id, last);
    }
  }
  return rows;
}

/** Coordinates in path data are rounded to 1/1000, as d3-shape does by default. */
const round = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * SVG path data of a horizontal bump curve through the points: the string d3-shape's
 * `line().curve(curveBumpX)` gives, written out because thousands of edges are drawn at once.
 */
export function bumpPath(points: ReadonlyArray<readonly [number, number]>): string {
  const first = points[0];
  if (!first) return '';
  let [x0, y0] = first;
  let d = `M${round(x0)},${round(y0)}`;
  for (let i = 1; i < points.length; i++) {
    const [x, y] = points[i] ?? first;
    const mx = round((x0 + x) / 2);
    d += `C${mx},${round(y0)},${mx},${round(y)},${round(x)},${round(y)}`;
    x0 = x;
    y0 = y;
  }
  return points.length === 1 ? `${d}Z` : d;
}
