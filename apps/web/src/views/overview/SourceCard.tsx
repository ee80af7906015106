import type { SourceStatusDto } from '@svcpath/core';
import { Badge } from '../../components/HealthBadge.js';

const tone = (s: string) => (s === 'ready' ? 'ok' : s === 'error' || s === 'forbidden' ? 'error' : 'warning');
const icon = (s: string) => (s === 'ready' ? '✓' : s === 'error' || s === 'forbidden' ? '✕' : '!');

export function SourceCard({ status }: { status: SourceStatusDto }) {
  const resources = Object.entries(status.resources);
  return (
    <section className="card" aria-labelledby="source-title">
      <h2 id="source-title" style={{ marginTop: 0 }}>
        Cluster source: {status.name}{' '}
        <Badge tone={tone(status.state)} icon={icon(status.state)}>
          {status.state}
        </Badge>
      </h2>
      <p className="muted">
        {status.kind === 'demo'
          ? 'The built-in demo cluster, which changes over time to show live updates.'
          : status.kind === 'snapshot'
            ? 'A snapshot directory: cluster objects and node dumps read from files.'
            : 'A live cluster read through the Kubernetes API.'}{' '}
        Server time {new Date(status.now).toLocaleString()}.
      </p>
      <div className="grid-2">
        <div>
          <h3>Resources</h3>
          <ul>
            {resources.map(([name, r]) => (
              <li key={name}>
                {name}: {r.count}{' '}
                <Badge tone={tone(r.state)} icon={icon(r.state)}>
                  {r.state}
                </Badge>
                {r.message && <span className="muted"> — {r.message}</span>}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Dump collectors</h3>
          {status.collectors.length === 0 ? (
            <p className="muted">
              No collectors run: upload dumps on a node page, or run the svcpath agent DaemonSet.
            </p>
          ) : (
            <ul>
              {status.collectors.map((c) => (
                <li key={c.name}>
                  {c.name}{' '}
                  <Badge tone={tone(c.state)} icon={icon(c.state)}>
                    {c.state}
                  </Badge>
                  {c.message && <span className="muted"> — {c.message}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
