import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useNavigate } from 'react-router-dom';
import type { EndpointDto, GraphEdge, GraphNode, ServiceGraph } from '@svcpath/core';
import { compareGraphs, edgeKey } from '../../layout/drift.js';
import { withEntryNodes } from '../../layout/graph-model.js';
import { layoutGraph } from '../../layout/layered-layout.js';
import { neighbourFor } from '../../layout/graph-keys.js';
import type { Highlight } from '../../layout/trace-highlight.js';
import { formatProbability } from '../../util/format.js';
import { GRAPH_CSS } from './graph-css.js';
import { driftWords, nodeHeight, nodeText } from './node-text.js';

export interface GraphViewProps {
  graph: ServiceGraph;
  endpoints: readonly EndpointDto[];
  view: 'actual' | 'expected';
  /** The same port in the other view; drift is marked when present. */
  other?: ServiceGraph | null;
  highlight?: Highlight | null;
  svgRef?: RefObject<SVGSVGElement | null>;
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

const LINE_Y = [15, 28, 41, 54];
const NODE_WIDTH = 212;
const TIP_ROOM = 170;
/** Below this, node text is too small to read; the graph scrolls instead. */
const MIN_FIT_SCALE = 0.75;

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

/** The path graph: d3 computed the layout (layoutGraph); React draws it as SVG. */
export function GraphView({
  graph,
  endpoints,
  view,
  other,
  highlight,
  svgRef,
  title,
  ruleLink,
}: GraphViewProps) {
  const navigate = useNavigate();
  const drawable = useMemo(() => withEntryNodes(graph), [graph]);
  const otherDrawable = useMemo(() => (other ? withEntryNodes(other) : null), [other]);
  const drift = useMemo(() => compareGraphs(drawable, otherDrawable), [drawable, otherDrawable]);
  const layout = useMemo(
    () =>
      layoutGraph(drift.merged.nodes, drift.merged.edges, {
        nodeWidth: NODE_WIDTH,
        nodeHeight,
        layerGap: 110,
      }),
    [drift.merged],
  );
  const nodeById = useMemo(() => new Map(drift.merged.nodes.map((n) => [n.id, n])), [drift.merged]);
  const incoming = useMemo(() => {
    const m = new Map<string, GraphEdge[]>();
    for (const e of drift.merged.edges) m.set(e.to, [...(m.get(e.to) ?? []), e]);
    return m;
  }, [drift.merged]);
  // A node's own chain is where its outgoing rules live.
  const linkOf = useMemo(() => {
    const m = new Map<string, string>();
    if (!ruleLink) return m;
    for (const e of drift.merged.edges)
      if (e.rule && !m.has(e.from)) {
        const url = ruleLink(e.rule.table, e.rule.chain);
        if (url) m.set(e.from, url);
      }
    return m;
  }, [drift.merged, ruleLink]);
  const [tip, setTip] = useState<Tip | null>(null);
  const [fit, setFit] = useState(true);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState(0);
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setAvailable(el.clientWidth));
    ro.observe(el);
    setAvailable(el.clientWidth);
    return () => ro.disconnect();
  }, []);
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
  // Fit to width shrinks wide graphs (never enlarges); 100 % keeps text at its natural size.
  const scale =
    fit && available > 0 && layout.width > available ? Math.max(MIN_FIT_SCALE, available / layout.width) : 1;

  const ruleTexts = (n: GraphNode): string[] => {
    const fromEntries =
      n.kind === 'entry'
        ? graph.entries.filter((e) => n.label.includes(`${e.port}`) && e.rule).map((e) => e.rule?.text ?? '')
        : [];
    const rules = (incoming.get(n.id) ?? []).map((e) => e.rule?.text).filter((t): t is string => !!t);
    const out = [...new Set([...fromEntries, ...rules])];
    return out.length > 4 ? [...out.slice(0, 4), `… and ${out.length - 4} more rules`] : out;
  };

  const showNode = (el: Element, n: GraphNode, summary: string, driftText: string | null) =>
    setTip({
      ...placeTip(el.getBoundingClientRect(), false),
      anchor: el,
      centre: false,
      title: n.label,
      lines: [
        summary,
        ...(driftText ? [`Drift: ${driftText}`] : []),
        ...(linkOf.has(n.id) ? ['Click or press Enter to open this chain in the node’s dump.'] : []),
      ],
      rules: ruleTexts(n),
    });

  const showEdge = (el: Element, e: GraphEdge, label: string) =>
    setTip({
      ...placeTip(el.getBoundingClientRect(), true),
      anchor: el,
      centre: true,
      title: `${nodeById.get(e.from)?.label ?? e.from} → ${nodeById.get(e.to)?.label ?? e.to}`,
      lines: [
        `Probability once at the source: ${label}`,
        ...(e.condition ? [`Condition: ${e.condition}`] : []),
      ],
      rules: e.rule
        ? [
            `${e.rule.table} ${e.rule.chain} rule ${e.rule.rule}${e.rule.packets !== undefined ? ` (${e.rule.packets} packets)` : ''}`,
            e.rule.text,
          ]
        : ['(no rule: implied by the model)'],
    });

  const hide = () => setTip(null);
  const dimmed = highlight && highlight.nodes.size > 0;

  return (
    <>
      <label className="graph-fit">
        <input type="checkbox" checked={fit} onChange={(e) => setFit(e.target.checked)} /> Fit to width
        {scale < 1 ? ` (${Math.round(scale * 100)} %)` : ''}
      </label>
      <div
        className="graph-wrap"
        data-testid="path-graph"
        ref={wrapRef}
        onScroll={followOrHide}
        onKeyDown={(e) => e.key === 'Escape' && hide()}
      >
        <div className="graph-inner" style={{ width: layout.width * scale, height: layout.height * scale }}>
          <svg
            ref={svgRef}
            width={layout.width * scale}
            height={layout.height * scale}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="group"
            aria-label={title}
            className={dimmed ? 'dimmed' : undefined}
            onMouseLeave={hide}
          >
            <title>{title}</title>
            <style>{GRAPH_CSS}</style>
            <g>
              {layout.edges.map((le) => {
                const e = drift.merged.edges[le.index];
                if (!e) return null;
                const d = drift.edges.get(edgeKey(e));
                const isDrift = d !== undefined && d.status !== 'same';
                const hl = highlight?.edges.has(edgeKey(e)) ?? false;
                let label = formatProbability(e.probability);
                if (d?.status === 'changed' && d.otherProbability !== undefined)
                  label += ` (${view === 'actual' ? 'expected' : 'actual'} ${formatProbability(d.otherProbability)})`;
                const driftText = d ? driftWords(d.status, view) : null;
                // The box at the end of the edge carries the full drift words; the edge a short mark.
                const shown = driftText ? `${label} ⚠ ${driftText.split(/[: ]/)[0]}` : label;
                if (driftText) label += ` ⚠ ${driftText}`;
                const cond =
                  e.condition && !driftText
                    ? ` · ${e.condition.length > 16 ? `${e.condition.slice(0, 15)}…` : e.condition}`
                    : '';
                const aria = `Edge from ${nodeById.get(e.from)?.label ?? e.from} to ${nodeById.get(e.to)?.label ?? e.to}, probability ${label}${e.condition ? `, ${e.condition}` : ''}`;
                return (
                  <g
                    key={`${edgeKey(e)}#${le.index}`}
                    className={`edge${isDrift ? ' drift' : ''}${hl ? ' hl' : ''}`}
                    role="img"
                    data-testid="graph-edge"
                    tabIndex={0}
                    aria-label={aria}
                    onMouseEnter={(ev) => showEdge(ev.currentTarget, e, label)}
                    onFocus={(ev) => showEdge(ev.currentTarget, e, label)}
                    onBlur={hide}
                  >
                    <path className="hit" d={le.path} />
                    <path className="line" d={le.path} strokeWidth={hl ? le.width + 2 : le.width} />
                    <text x={le.labelX} y={le.labelY - 4} textAnchor={le.labelAnchor}>
                      {shown}
                      {cond}
                    </text>
                  </g>
                );
              })}
            </g>
            <g>
              {layout.nodes.map((ln) => {
                const n = nodeById.get(ln.id);
                if (!n) return null;
                const status = drift.nodes.get(n.id);
                const dw = driftWords(status, view);
                const t = nodeText(n, graph, endpoints, dw);
                const hl = highlight?.nodes.has(n.id) ?? false;
                const cls = `node kind-${n.kind}${t.unready ? ' unready' : ''}${dw ? ' drift' : ''}${status === 'only-other' ? ' ghost' : ''}${hl ? ' hl' : ''}`;
                return (
                  <g
                    key={n.id}
                    className={cls}
                    role="img"
                    data-testid="graph-node"
                    data-node-id={n.id}
                    transform={`translate(${ln.x},${ln.y})`}
                    tabIndex={0}
                    aria-label={t.summary}
                    onMouseEnter={(ev) => showNode(ev.currentTarget, n, t.summary, dw)}
                    onFocus={(ev) => showNode(ev.currentTarget, n, t.summary, dw)}
                    onClick={() => {
                      const url = linkOf.get(n.id);
                      if (url) navigate(url);
                    }}
                    style={linkOf.has(n.id) ? { cursor: 'pointer' } : undefined}
                    onKeyDown={(ev) => {
                      const url = linkOf.get(n.id);
                      if (ev.key === 'Enter' && url) return navigate(url);
                      const next = neighbourFor(layout, n.id, ev.key);
                      if (next === null) return;
                      ev.preventDefault();
                      const el = ev.currentTarget.ownerSVGElement?.querySelector<SVGGElement>(
                        `[data-node-id="${CSS.escape(next)}"]`,
                      );
                      el?.focus();
                    }}
                    onBlur={hide}
                  >
                    <rect width={ln.width} height={ln.height} rx={6} />
                    {t.lines.map((line, i) => (
                      <text key={i} x={8} y={LINE_Y[i] ?? 15 + i * 13} className={line.className}>
                        {line.text}
                      </text>
                    ))}
                  </g>
                );
              })}
            </g>
          </svg>
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
