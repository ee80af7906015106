import { useMemo, useState, type RefObject } from 'react';
import type { EndpointDto, GraphEdge, GraphNode, ServiceGraph } from '@svcpath/core';
import { compareGraphs, edgeKey } from '../../layout/drift.js';
import { withEntryNodes } from '../../layout/graph-model.js';
import { layoutGraph, type LaidOutEdge, type LaidOutNode } from '../../layout/layered-layout.js';
import type { Highlight } from '../../layout/trace-highlight.js';
import { formatProbability } from '../../util/format.js';
import { GRAPH_CSS } from './graph-css.js';
import { KIND_WORDS, driftWords, nodeHeight, nodeText } from './node-text.js';

export interface GraphViewProps {
  graph: ServiceGraph;
  endpoints: readonly EndpointDto[];
  view: 'actual' | 'expected';
  /** The same port in the other view; drift is marked when present. */
  other?: ServiceGraph | null;
  highlight?: Highlight | null;
  svgRef?: RefObject<SVGSVGElement | null>;
  title: string;
}

type Tip = { x: number; y: number; title: string; lines: string[]; rules: string[] };

const LINE_Y = [15, 28, 41, 54];
const NODE_WIDTH = 230;

/** The path graph: d3 computed the layout (layoutGraph); React draws it as SVG. */
export function GraphView({ graph, endpoints, view, other, highlight, svgRef, title }: GraphViewProps) {
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
  const [tip, setTip] = useState<Tip | null>(null);

  const ruleTexts = (n: GraphNode): string[] => {
    const fromEntries =
      n.kind === 'entry'
        ? graph.entries.filter((e) => n.label.includes(`${e.port}`) && e.rule).map((e) => e.rule?.text ?? '')
        : [];
    const rules = (incoming.get(n.id) ?? []).map((e) => e.rule?.text).filter((t): t is string => !!t);
    const out = [...new Set([...fromEntries, ...rules])];
    return out.length > 4 ? [...out.slice(0, 4), `… and ${out.length - 4} more rules`] : out;
  };

  const showNode = (ln: LaidOutNode, n: GraphNode, summary: string, driftText: string | null) =>
    setTip({
      x: Math.max(0, Math.min(ln.x, layout.width - 420)),
      y: ln.y + ln.height + 6,
      title: n.label,
      lines: [summary, KIND_WORDS[n.kind], ...(driftText ? [`Drift: ${driftText}`] : [])],
      rules: ruleTexts(n),
    });

  const showEdge = (le: LaidOutEdge, e: GraphEdge, label: string) =>
    setTip({
      x: Math.max(0, Math.min(le.labelX - 100, layout.width - 420)),
      y: le.labelY + 12,
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
    <div className="graph-wrap" onKeyDown={(e) => e.key === 'Escape' && hide()}>
      <div className="graph-inner" style={{ width: layout.width, height: layout.height }}>
        <svg
          ref={svgRef}
          width={layout.width}
          height={layout.height}
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
              if (d?.status === 'only-here' || d?.status === 'only-other')
                label += ` ⚠ ${driftWords(d.status, view)}`;
              const cond = e.condition
                ? ` · ${e.condition.length > 24 ? `${e.condition.slice(0, 23)}…` : e.condition}`
                : '';
              const aria = `Edge from ${nodeById.get(e.from)?.label ?? e.from} to ${nodeById.get(e.to)?.label ?? e.to}, probability ${label}${e.condition ? `, ${e.condition}` : ''}`;
              return (
                <g
                  key={`${edgeKey(e)}#${le.index}`}
                  className={`edge${isDrift ? ' drift' : ''}${hl ? ' hl' : ''}`}
                  tabIndex={0}
                  aria-label={aria}
                  onMouseEnter={() => showEdge(le, e, label)}
                  onFocus={() => showEdge(le, e, label)}
                  onBlur={hide}
                >
                  <path className="hit" d={le.path} />
                  <path className="line" d={le.path} strokeWidth={hl ? le.width + 2 : le.width} />
                  <text x={le.labelX} y={le.labelY - 4} textAnchor="middle">
                    {label}
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
                  transform={`translate(${ln.x},${ln.y})`}
                  tabIndex={0}
                  aria-label={t.summary}
                  onMouseEnter={() => showNode(ln, n, t.summary, dw)}
                  onFocus={() => showNode(ln, n, t.summary, dw)}
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
          <div className="tooltip" role="tooltip" style={{ left: tip.x, top: tip.y }}>
            <strong className="mono">{tip.title}</strong>
            {tip.lines.map((l, i) => (
              <div key={i}>{l}</div>
            ))}
            {tip.rules.length > 0 && <pre>{tip.rules.join('\n')}</pre>}
          </div>
        )}
      </div>
    </div>
  );
}
