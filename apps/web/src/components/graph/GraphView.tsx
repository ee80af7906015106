import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DOMAttributes,
  type RefObject,
} from 'react';
import { useNavigate } from 'react-router-dom';
import type { EndpointDto, GraphEdge, GraphRuleRef, ServiceGraph } from '@svcpath/core';
import { compareGraphs } from '../../layout/drift.js';
import { withEntryNodes } from '../../layout/graph-model.js';
import { neighbourFor } from '../../layout/graph-keys.js';
import type { Box } from '../../layout/layered-layout.js';
import type { Highlight } from '../../layout/trace-highlight.js';
import { DETAIL_MIN_SCALE, drawArea, viewArea, type ScrollView } from '../../layout/viewport.js';
import { buildDrawing, layoutFor, type EdgeDrawing, type NodeDrawing } from './drawing-model.js';
import { GraphDrawing } from './GraphDrawing.js';
import { useGraphZoom } from './use-graph-zoom.js';
import { drawWholeGraph } from './whole-graph-svg.js';

/** What the page's export buttons use: the whole graph as SVG, drawn when asked for. */
export interface GraphExport {
  wholeGraphSvg: () => SVGSVGElement | null;
}

export interface GraphViewProps {
  graph: ServiceGraph;
  endpoints: readonly EndpointDto[];
  view: 'actual' | 'expected';
  /** The same port in the other view; drift is marked when present. */
  other?: ServiceGraph | null;
  highlight?: Highlight | null;
  /** Receives the export handle while the graph is shown. */
  exportRef?: RefObject<GraphExport | null>;
  title: string;
  /** Where a chain's rules can be read (the node's dump browser); null when there is no dump. */
  ruleLink?: (table: string, chain: string) => string | null;
}

type Tip = {
  x: number;
  y: number;
  above: boolean;
  title: string;
  lines: string[];
  rules: string[];
  /** The element the tip belongs to, and whether the tip is centred on it (edges). */
  anchor: Element;
  centre: boolean;
};

const TIP_ROOM = 170;
/** Screen pixels drawn beyond each side of the view, so that scrolling rarely shows a gap. */
const DRAW_MARGIN = 480;
/** What the graph is assumed to show before it is measured (and when rendered without a page). */
const FIRST_VIEW: ScrollView = { left: 0, top: 0, width: 1600, height: 1000 };
const NO_LINKS: ReadonlySet<string> = new Set();
/** Without ResizeObserver (rendering outside a browser) the graph is drawn for FIRST_VIEW at once. */
const CAN_MEASURE = typeof ResizeObserver !== 'undefined';

/** Where the tooltip goes for a hovered or focused element: below it, or above near the window's bottom. */
function placeTip(rect: DOMRect, centre: boolean): Pick<Tip, 'x' | 'y' | 'above'> {
  const x = Math.max(
    4,
    Math.min(centre ? rect.left + rect.width / 2 - 150 : rect.left, window.innerWidth - 580),
  );
  const anchorBottom = centre ? rect.top + rect.height / 2 : rect.bottom;
  const anchorTop = centre ? rect.top + rect.height / 2 : rect.top;
  const above = anchorBottom + TIP_ROOM > window.innerHeight && anchorTop > TIP_ROOM;
  return { x, y: above ? anchorTop - 8 : anchorBottom + 8, above };
}

type Item = { el: Element; node: NodeDrawing } | { el: Element; edge: EdgeDrawing; at: number };

/**
 * The path graph: d3 computes the layout (layoutGraph) and the zoom; React draws it as SVG,
 * only the part around the view in full (see GraphDrawing).
 */
export function GraphView({
  graph,
  endpoints,
  view,
  other,
  highlight,
  exportRef,
  title,
  ruleLink,
}: GraphViewProps) {
  const navigate = useNavigate();
  const drawable = useMemo(() => withEntryNodes(graph), [graph]);
  const otherDrawable = useMemo(() => (other ? withEntryNodes(other) : null), [other]);
  const drift = useMemo(() => compareGraphs(drawable, otherDrawable), [drawable, otherDrawable]);
  const layout = useMemo(() => layoutFor(drift.merged), [drift.merged]);
  const model = useMemo(
    () => buildDrawing({ graph, endpoints, view, drift, layout, highlight }),
    [graph, endpoints, view, drift, layout, highlight],
  );
  const nodeById = useMemo(() => new Map(model.nodes.map((d) => [d.laid.id, d])), [model]);
  const incoming = useMemo(() => {
    const m = new Map<string, GraphEdge[]>();
    for (const e of drift.merged.edges) (m.get(e.to) ?? m.set(e.to, []).get(e.to))?.push(e);
    return m;
  }, [drift.merged]);
  // A node's own chain is where its outgoing rules live.
  const ownRule = useMemo(() => {
    const m = new Map<string, GraphRuleRef>();
    for (const e of drift.merged.edges) if (e.rule && !m.has(e.from)) m.set(e.from, e.rule);
    return m;
  }, [drift.merged]);
  const hasRuleLinks = ruleLink !== undefined;
  const linked = useMemo(() => (hasRuleLinks ? new Set(ownRule.keys()) : NO_LINKS), [ownRule, hasRuleLinks]);
  const linkOf = (id: string): string | null => {
    const r = ownRule.get(id);
    return r && ruleLink ? ruleLink(r.table, r.chain) : null;
  };

  const wrapRef = useRef<HTMLDivElement>(null);
  const interacted = useRef(false);
  const zoom = useGraphZoom(wrapRef, layout, graph.service, () => (interacted.current = true));
  const scaleRef = useRef(zoom.scale);
  scaleRef.current = zoom.scale;

  // What is drawn in full: the view and a margin around it, in layout coordinates. Until the
  // reader scrolls or zooms, the view is the top left of the box, known without asking the
  // page for its layout; afterwards it is read at most once per frame.
  const [moved, setMoved] = useState<Box | null>(null);
  const area =
    moved ??
    (zoom.room
      ? viewArea(
          { left: 0, top: 0, width: zoom.room.width, height: zoom.room.height },
          zoom.scale,
          DRAW_MARGIN,
        )
      : viewArea(FIRST_VIEW, 1, DRAW_MARGIN));
  const refreshArea = useCallback(() => {
    const el = wrapRef.current;
    if (!el || !interacted.current) return;
    const seen = { left: el.scrollLeft, top: el.scrollTop, width: el.clientWidth, height: el.clientHeight };
    setMoved((current) => drawArea(current, seen, scaleRef.current, DRAW_MARGIN));
  }, []);
  useLayoutEffect(refreshArea, [refreshArea, zoom.scale, zoom.room, layout]);
  const frame = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const [tip, setTip] = useState<Tip | null>(null);
  const [focusedEdge, setFocusedEdge] = useState<number | null>(null);
  // A tip opened by keyboard focus follows its element (focusing may scroll it into view);
  // one opened by the mouse goes away when the page or the graph scrolls.
  const followOrHide = () =>
    setTip((t) =>
      t && t.anchor === document.activeElement
        ? { ...t, ...placeTip(t.anchor.getBoundingClientRect(), t.centre) }
        : null,
    );
  const hasTip = tip !== null;
  useEffect(() => {
    if (!hasTip) return;
    window.addEventListener('scroll', followOrHide, { passive: true });
    return () => window.removeEventListener('scroll', followOrHide);
  }, [hasTip]);

  const exported = useRef<SVGSVGElement | null>(null);
  useImperativeHandle(
    exportRef,
    () => ({
      // Drawn once per click even when read twice; gone after the click's task.
      wholeGraphSvg: () => {
        if (!exported.current) {
          exported.current = drawWholeGraph(model, title);
          setTimeout(() => (exported.current = null), 0);
        }
        return exported.current;
      },
    }),
    [model, title],
  );

  const ruleTexts = (id: string, kind: string, label: string): string[] => {
    const fromEntries =
      kind === 'entry'
        ? graph.entries.filter((e) => label.includes(`${e.port}`) && e.rule).map((e) => e.rule?.text ?? '')
        : [];
    const rules = (incoming.get(id) ?? []).map((e) => e.rule?.text).filter((t): t is string => !!t);
    const out = [...new Set([...fromEntries, ...rules])];
    return out.length > 4 ? [...out.slice(0, 4), `… and ${out.length - 4} more rules`] : out;
  };

  const showNode = (el: Element, d: NodeDrawing) =>
    setTip({
      ...placeTip(el.getBoundingClientRect(), false),
      anchor: el,
      centre: false,
      title: d.node.label,
      lines: [
        d.summary,
        ...(d.drift ? [`Drift: ${d.drift}`] : []),
        ...(linkOf(d.node.id) ? ['Click or press Enter to open this chain in the node’s dump.'] : []),
      ],
      rules: ruleTexts(d.node.id, d.node.kind, d.node.label),
    });

  const showEdge = (el: Element, d: EdgeDrawing) => {
    const e = d.edge;
    setTip({
      ...placeTip(el.getBoundingClientRect(), true),
      anchor: el,
      centre: true,
      title: `${nodeById.get(e.from)?.node.label ?? e.from} → ${nodeById.get(e.to)?.node.label ?? e.to}`,
      lines: [
        `Probability once at the source: ${d.label}`,
        ...(e.condition ? [`Condition: ${e.condition}`] : []),
      ],
      rules: e.rule
        ? [
            `${e.rule.table} ${e.rule.chain} rule ${e.rule.rule}${e.rule.packets !== undefined ? ` (${e.rule.packets} packets)` : ''}`,
            e.rule.text,
          ]
        : ['(no rule: implied by the model)'],
    });
  };

  const hide = () => setTip(null);

  /** The node or edge an event happened in (events are handled once, on the SVG). */
  const itemOf = (target: EventTarget): Item | null => {
    if (!(target instanceof Element)) return null;
    const el = target.closest('[data-node-id],[data-edge]');
    if (!el) return null;
    const id = el.getAttribute('data-node-id');
    if (id !== null) {
      const node = nodeById.get(id);
      return node ? { el, node } : null;
    }
    const at = Number(el.getAttribute('data-edge'));
    const edge = model.edgeAt(at);
    return edge ? { el, edge, at } : null;
  };
  const show = (item: Item) => ('node' in item ? showNode(item.el, item.node) : showEdge(item.el, item.edge));

  const events: DOMAttributes<SVGSVGElement> = {
    onMouseOver: (ev) => {
      const item = itemOf(ev.target);
      if (item && item.el !== tip?.anchor) show(item);
    },
    onMouseLeave: hide,
    onFocus: (ev) => {
      const item = itemOf(ev.target);
      if (!item) return;
      show(item);
      if ('at' in item) setFocusedEdge(item.at);
    },
    onBlur: () => {
      hide();
      setFocusedEdge(null);
    },
    onClick: (ev) => {
      const item = itemOf(ev.target);
      const url = item && 'node' in item ? linkOf(item.node.node.id) : null;
      if (url) void navigate(url);
    },
    onKeyDown: (ev) => {
      const item = itemOf(ev.target);
      if (!item || !('node' in item)) return;
      const id = item.node.node.id;
      const url = linkOf(id);
      if (ev.key === 'Enter' && url) return void navigate(url);
      const next = neighbourFor(layout, id, ev.key);
      if (next === null) return;
      ev.preventDefault();
      ev.currentTarget.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(next)}"]`)?.focus();
    },
  };

  const drawNow = zoom.room !== null || !CAN_MEASURE;
  const keepEdges = useMemo(() => (focusedEdge === null ? [] : [focusedEdge]), [focusedEdge]);
  const percent = zoom.scale * 100;

  return (
    <>
      <div className="toolbar" role="group" aria-label="Zoom">
        <button
          type="button"
          onClick={zoom.zoomOut}
          disabled={zoom.scale <= zoom.range[0]}
          aria-keyshortcuts="-"
        >
          − Zoom out
        </button>
        <button
          type="button"
          onClick={zoom.zoomIn}
          disabled={zoom.scale >= zoom.range[1]}
          aria-keyshortcuts="+"
        >
          + Zoom in
        </button>
        <button type="button" onClick={zoom.fit}>
          Fit
        </button>
        <button type="button" onClick={zoom.actualSize}>
          100 %
        </button>
        <span className="muted">
          {percent >= 10 ? Math.round(percent) : percent.toFixed(1)} %
          {zoom.scale < DETAIL_MIN_SCALE ? ' (zoom in to read the boxes)' : ''} · Ctrl/⌘ + wheel zooms,
          dragging pans
        </span>
      </div>
      <div
        className="graph-wrap"
        data-testid="path-graph"
        ref={wrapRef}
        tabIndex={-1}
        onScroll={() => {
          interacted.current = true;
          followOrHide();
          if (frame.current === null)
            frame.current = requestAnimationFrame(() => {
              frame.current = null;
              refreshArea();
            });
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') hide();
          else if (e.key === '+' || e.key === '=') zoom.zoomIn();
          else if (e.key === '-' || e.key === '_') zoom.zoomOut();
          else return;
          e.preventDefault();
        }}
      >
        <div
          className="graph-inner"
          style={{ width: layout.width * zoom.scale, height: layout.height * zoom.scale }}
        >
          {drawNow && (
            <GraphDrawing
              model={model}
              title={title}
              scale={zoom.scale}
              area={area}
              interactive
              keepEdges={keepEdges}
              linked={linked}
              events={events}
            />
          )}
          {tip && (
            <div
              className="tooltip"
              role="tooltip"
              style={{
                position: 'fixed',
                left: tip.x,
                top: tip.y,
                transform: tip.above ? 'translateY(-100%)' : undefined,
              }}
            >
              <strong className="mono">{tip.title}</strong>
              {tip.lines.map((l, i) => (
                <div key={i}>{l}</div>
              ))}
              {tip.rules.length > 0 && <pre>{tip.rules.join('\n')}</pre>}
            </div>
          )}
        </div>
      </div>
    </>
  );
}
