import { Link } from 'react-router-dom';
import type { NodeDto } from '@svcpath/core';
import { Badge, ReadyBadge } from '../../components/HealthBadge.js';
import { Empty } from '../../components/States.js';
import { formatAge } from '../../util/format.js';

export function NodesTable({ nodes }: { nodes: NodeDto[] }) {
  if (nodes.length === 0)
    return (
      <Empty title="No nodes">
        <p>
          The cluster source lists no nodes yet. With a live cluster, check that svcpath may list nodes
          (RBAC); with a snapshot, check its cluster.json.
        </p>
      </Empty>
    );
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="data">
        <caption className="muted" style={{ textAlign: 'left', captionSide: 'bottom' }}>
          Drift = differences between the rules kube-proxy should program (expected) and the node’s dump
          (actual).
        </caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Proxy mode</th>
            <th scope="col">Ready</th>
            <th scope="col">IPs</th>
            <th scope="col">Dumps (age, source)</th>
            <th scope="col">Drift</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.name}>
              <td>
                <Link to={`/nodes/${encodeURIComponent(n.name)}`}>{n.name}</Link>
                {n.zone && <div className="muted">zone {n.zone}</div>}
              </td>
              <td>
                {n.mode}
                <div className="muted">from {n.modeSource}</div>
              </td>
              <td>
                <ReadyBadge ready={n.ready} />
              </td>
              <td className="mono">{n.ips.join(', ')}</td>
              <td>
                {n.dumps.length === 0 ? (
                  <span>
                    <Badge tone="warning" icon="!">
                      no dump
                    </Badge>{' '}
                    <span className="muted">run the agent or upload one</span>
                  </span>
                ) : (
                  <ul style={{ margin: 0, paddingLeft: '1rem' }}>
                    {n.dumps.map((d) => (
                      <li key={d.kind}>
                        {d.kind}: {formatAge(d.ageSeconds)} old, {d.source}
                        {d.stale && (
                          <>
                            {' '}
                            <Badge tone="warning" icon="◷">
                              stale
                            </Badge>
                          </>
                        )}
                        {d.issues.some((i) => i.severity === 'error') && (
                          <>
                            {' '}
                            <Badge tone="error" icon="✕">
                              parse errors
                            </Badge>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {n.driftPending ? (
                  <span className="muted">computing…</span>
                ) : n.drift === null ? (
                  <span className="muted">{n.dumps.length === 0 ? 'no dump' : 'not computed'}</span>
                ) : n.drift === 0 ? (
                  <Badge tone="ok" icon="✓">
                    none
                  </Badge>
                ) : (
                  <Link to={`/diagnostics#node-${encodeURIComponent(n.name)}`}>
                    <Badge tone="warning" icon="!">{`${n.drift} finding${n.drift === 1 ? '' : 's'}`}</Badge>
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
