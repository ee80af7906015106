import type { EndpointDto } from '@svcpath/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, ReadyBadge } from '../../components/HealthBadge.js';
import { Empty } from '../../components/States.js';
import { formatHostPort } from '../../layout/graph-model.js';

/**
 * Rows drawn before the reader asks for more: a Service with a thousand endpoints would
 * otherwise spend longer building this table than drawing its whole path graph.
 */
const FIRST_ROWS = 100;

export function EndpointsTable({ endpoints }: { endpoints: EndpointDto[] }) {
  const [showAll, setShowAll] = useState(false);
  if (endpoints.length === 0)
    return (
      <Empty title="No endpoints">
        <p>
          No pod matches the Service’s selector, or the Service has no selector and no hand-written
          EndpointSlice. Traffic to it is rejected. Check the selector against the pods’ labels.
        </p>
      </Empty>
    );
  const rows = showAll ? endpoints : endpoints.slice(0, FIRST_ROWS);
  return (
    <div style={{ overflowX: 'auto' }}>
      {rows.length < endpoints.length && (
        <p className="muted">
          The first {rows.length} of {endpoints.length} endpoints.{' '}
          <button type="button" onClick={() => setShowAll(true)}>
            Show all {endpoints.length}
          </button>
        </p>
      )}
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
          {rows.map((e, i) => (
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
                ) : (
                  <ReadyBadge ready={e.ready} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
