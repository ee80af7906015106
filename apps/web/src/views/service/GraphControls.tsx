import type { NodeDto } from '@svcpath/core';
import type { GraphView } from '../../api/queries.js';

export function GraphControls({
  nodes,
  node,
  view,
  showDrift,
  onNode,
  onView,
  onDrift,
}: {
  nodes: NodeDto[];
  node: string | undefined;
  view: GraphView;
  showDrift: boolean;
  onNode: (n: string) => void;
  onView: (v: GraphView) => void;
  onDrift: (on: boolean) => void;
}) {
  return (
    <div className="toolbar">
      <div className="field">
        <label htmlFor="graph-node">Node</label>
        <select id="graph-node" value={node ?? ''} onChange={(e) => onNode(e.target.value)}>
          {nodes.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name} ({n.mode}
              {n.dumps.length === 0 ? ', no dump' : ''})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <span id="view-label">Rules</span>
        <div className="segmented" role="group" aria-labelledby="view-label">
          <button
            type="button"
            aria-pressed={view === 'actual'}
            onClick={() => onView('actual')}
            title="What the node’s dump holds"
          >
            Actual (node dump)
          </button>
          <button
            type="button"
            aria-pressed={view === 'expected'}
            onClick={() => onView('expected')}
            title="What kube-proxy should program, generated from the cluster"
          >
            Expected (generated)
          </button>
        </div>
      </div>
      <label style={{ display: 'flex', gap: '0.35rem', alignItems: 'center' }}>
        <input type="checkbox" checked={showDrift} onChange={(e) => onDrift(e.target.checked)} />
        Mark drift against the {view === 'actual' ? 'expected' : 'actual'} rules
      </label>
    </div>
  );
}
