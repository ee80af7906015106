import type { EndpointDto } from '@svcpath/core';
import { Link } from 'react-router-dom';
import { Badge } from '../../components/HealthBadge.js';
import { Empty } from '../../components/States.js';
import { formatHostPort } from '../../layout/graph-model.js';

export function EndpointsTable({ endpoints }: { endpoints: EndpointDto[] }) {
  if (endpoints.length === 0)
    return (
      <Empty title="No endpoints">
        <p>
          No pod matches the Service’s selector, or the Service has no selector and no hand-written
          EndpointSlice. Traffic to it is rejected. Check the selector against the pods’ labels.
        </p>
      </Empty>
    );
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Port</th>
            <th scope="col">Pod</th>
            <th scope="col">Node</th>
            <th scope="col">Zone</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e, i) => (
            <tr key={`${e.address}-${e.port}-${e.portName}-${i}`}>
              <td className="mono">{formatHostPort(e.address, e.port)}</td>
              <td>
                {e.portName || '—'} {e.protocol}
              </td>
              <td>{e.pod ?? <span className="muted">none (hand-written)</span>}</td>
              <td>
                {e.nodeName ? <Link to={`/nodes/${encodeURIComponent(e.nodeName)}`}>{e.nodeName}</Link> : '—'}
              </td>
              <td>{e.zone ?? '—'}</td>
              <td>
                {e.terminating ? (
                  <Badge tone="warning" icon="◷">
                    {e.serving ? 'terminating, serving' : 'terminating'}
                  </Badge>
                ) : e.ready ? (
                  <Badge tone="ok" icon="✓">
                    ready
                  </Badge>
                ) : (
                  <Badge tone="error" icon="✕">
                    not ready
                  </Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
