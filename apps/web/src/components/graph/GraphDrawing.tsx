import { memo, useMemo, type DOMAttributes, type Ref } from 'react';
import type { Box } from '../../layout/layered-layout.js';
import { DETAIL_MIN_SCALE, visibleSet } from '../../layout/viewport.js';
import type { EdgeDrawing, GraphDrawingModel, NodeDrawing } from './drawing-model.js';
import { GRAPH_CSS } from './graph-css.js';

const LINE_Y = [15, 28, 41, 54];
const NONE: readonly number[] = [];

export interface GraphDrawingProps {
  model: GraphDrawingModel;
  title: string;
  /** Screen pixels per layout unit. */
  scale: number;
  /** The layout area to draw in full; null draws everything (the export). */
  area: Box | null;
  /** Focusable, with events; false for the exported file. */
  interactive: boolean;
  /** Edges drawn even outside the area (the one holding keyboard focus must not vanish). */
  keepEdges?: readonly number[];
  /** Nodes whose box opens their chain's rules when clicked. */
  linked?: ReadonlySet<string>;
  svgRef?: Ref<SVGSVGElement>;
  /** Delegated handlers: each node and edge says who it is with data-node / data-edge. */
  events?: DOMAttributes<SVGSVGElement>;
}

/**
 * The path graph as SVG. Every node is always there as a group (each one can be reached by Tab
 * and found by its label); boxes, text, edges and the hit areas that make edges easy to point
 * at are drawn only in the area around the view, and text only when large enough to read.
 */
export function GraphDrawing({
  model,
  title,
  scale,
  area,
  interactive,
  keepEdges = NONE,
  linked,
  svgRef,
  events,
}: GraphDrawingProps) {
  const { layout } = model;
  const visible = useMemo(() => visibleSet(layout, area), [layout, area]);
  const detail = scale >= DETAIL_MIN_SCALE;
  const edges = useMemo(() => {
    const extra = keepEdges.filter((i) => !visible.edges.includes(i));
    return extra.length === 0 ? visible.edges : [...visible.edges, ...extra];
  }, [visible, keepEdges]);
  return (
    <svg
      ref={svgRef}
      width={layout.width * scale}
      height={layout.height * scale}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="group"
      aria-label={title}
      className={model.dimmed ? 'path-graph dimmed' : 'path-graph'}
      {...events}
    >
      <title>{title}</title>
      <style>{GRAPH_CSS}</style>
      <g>
        {visible.buses.map((i) => {
          const bus = layout.buses[i];
          return bus && <path key={`bus${i}`} className="graph-bus" d={bus.path} strokeWidth={bus.width} />;
        })}
        {model.highlightedRoutes.map((i) => {
          const route = layout.edges[i]?.route;
          return route && <path key={`route${i}`} className="graph-route" d={route} />;
        })}
        {edges.map((i) => {
          const d = model.edgeAt(i);
          return d && <EdgeItem key={i} d={d} at={i} detail={detail} interactive={interactive} />;
        })}
      </g>
      <g>
        {model.nodes.map((d, i) => (
          <NodeItem
            key={d.laid.id}
            d={d}
            shown={visible.nodes[i] === 1}
            detail={detail && visible.nodes[i] === 1}
            interactive={interactive}
            linked={linked?.has(d.laid.id) ?? false}
          />
        ))}
      </g>
    </svg>
  );
}

const EdgeItem = memo(function EdgeItem({
  d,
  at,
  detail,
  interactive,
}: {
  d: EdgeDrawing;
  at: number;
  detail: boolean;
  interactive: boolean;
}) {
  const le = d.laid;
  return (
    <g
      className={d.className}
      role="img"
      data-edge={at}
      tabIndex={interactive ? 0 : undefined}
      aria-label={d.aria}
    >
      {detail && interactive && <path className="hit" d={le.path} />}
      <path className="line" d={le.path} strokeWidth={d.highlighted ? le.width + 2 : le.width} />
      {detail && (
        <text x={le.labelX} y={le.labelY - 4} textAnchor={le.labelAnchor}>
          {d.text}
        </text>
      )}
    </g>
  );
});

/**
 * One box. Outside the drawn area it is an empty group: still positioned, labelled and
 * focusable (focusing it scrolls it into view, and it is then drawn), but nothing to lay out.
 */
const NodeItem = memo(function NodeItem({
  d,
  shown,
  detail,
  interactive,
  linked,
}: {
  d: NodeDrawing;
  shown: boolean;
  detail: boolean;
  interactive: boolean;
  linked: boolean;
}) {
  const ln = d.laid;
  return (
    <g
      className={linked ? `${d.className} link` : d.className}
      role="img"
      data-node-id={ln.id}
      transform={`translate(${ln.x},${ln.y})`}
      tabIndex={interactive ? 0 : undefined}
      aria-label={d.summary}
    >
      {shown && <rect width={ln.width} height={ln.height} rx={6} />}
      {detail &&
        d.lines.map((line, i) => (
          <text key={i} x={8} y={LINE_Y[i] ?? 15 + i * 13} className={line.className || undefined}>
            {line.text}
          </text>
        ))}
    </g>
  );
});
