/**
 * The graph's styles live inside the SVG so an exported file carries them;
 * `standaloneSvg` swaps the CSS variables for their current values on export.
 */
export const GRAPH_CSS = `
svg.path-graph { display: block; }
text { fill: var(--text); font: 12px system-ui, sans-serif; }
text.mono { font-family: var(--mono); font-size: 11px; }
text.small { font-size: 11px; fill: var(--text-muted); }
text.strong { font-weight: 700; }
text.warn { fill: var(--drift); font-weight: 700; font-size: 11px; }
.node rect { fill: var(--node-chain); stroke: var(--border); stroke-width: 1.2; }
.node.kind-entry rect { fill: var(--node-entry); }
.node.kind-endpoint rect { fill: var(--node-endpoint); stroke: var(--ok); }
.node.unready rect { fill: var(--node-endpoint-unready); stroke: var(--warn); stroke-dasharray: 3 2; }
.node.kind-drop rect, .node.kind-reject rect { fill: var(--node-drop); stroke: var(--err); }
.node.drift rect { stroke: var(--drift); stroke-width: 2.5; stroke-dasharray: 7 3; }
.node.ghost { opacity: 0.8; }
.node.hl rect { stroke: var(--edge-hl); stroke-width: 3.5; }
.dimmed .node:not(.hl), .dimmed .edge:not(.hl), .dimmed .graph-bus { opacity: 0.35; }
.node.link { cursor: pointer; }
.node:focus, .edge:focus { outline: none; }
.node:focus rect { stroke: var(--focus); stroke-width: 3.5; }
.edge:focus path.line { stroke: var(--focus); }
.edge path.line { fill: none; stroke: var(--edge); stroke-opacity: 0.85; }
.edge path.hit { fill: none; stroke: transparent; stroke-width: 12; }
.graph-bus { fill: none; stroke: var(--edge); stroke-opacity: 0.85; }
.graph-route { fill: none; stroke: var(--edge-hl); stroke-width: 3.5; }
.edge.hl path.line { stroke: var(--edge-hl); stroke-opacity: 1; }
.edge.drift path.line { stroke: var(--drift); stroke-dasharray: 7 4; }
.edge text { font-size: 11px; paint-order: stroke; stroke: var(--surface); stroke-width: 3.5px; stroke-linejoin: round; }
.edge.drift text { fill: var(--drift); font-weight: 700; }
`;
