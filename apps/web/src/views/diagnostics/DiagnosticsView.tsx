import { useEffect, useMemo } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { FindingDto } from '@svcpath/core';
import { useDiagnostics } from '../../api/hooks.js';
import { ExportButtons } from '../../components/ExportButtons.js';
import { SeverityBadge } from '../../components/HealthBadge.js';
import { Empty, ErrorState, Loading } from '../../components/States.js';
import { groupFindings } from './group-findings.js';

function FindingItem({ f }: { f: FindingDto }) {
  const fallback = f.service
    ? `/services/${f.service.split('/').map(encodeURIComponent).join('/')}${f.node ? `?node=${encodeURIComponent(f.node)}` : ''}`
    : f.node
      ? `/nodes/${encodeURIComponent(f.node)}`
      : null;
  const link = f.link ?? fallback;
  return (
    <li>
      <SeverityBadge severity={f.severity} /> {f.message}
      {f.service && <span className="muted"> · {f.service}</span>}
      {f.node && <span className="muted"> · node {f.node}</span>}
      {link && (
        <>
          {' '}
          <Link to={link}>explain →</Link>
        </>
      )}
    </li>
  );
}

export default function DiagnosticsView() {
  const diag = useDiagnostics();
  const groups = useMemo(() => (diag.data ? groupFindings(diag.data.findings) : []), [diag.data]);
  const { hash } = useLocation();
  // Links like /diagnostics#node-a point at one node's drift; scroll there once it is drawn.
  const loaded = diag.data !== undefined;
  useEffect(() => {
    if (!loaded || !hash) return;
    document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView();
  }, [loaded, hash]);
  return (
    <>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h1>Diagnostics</h1>
        {diag.data && <ExportButtons data={diag.data} name="svcpath-diagnostics" />}
      </div>
      {diag.isPending ? (
        <Loading what="diagnostics" />
      ) : diag.isError ? (
        <ErrorState error={diag.error} what="diagnostics" retry={() => void diag.refetch()} />
      ) : groups.length === 0 ? (
        <Empty title="✓ Nothing to report">
          <p>
            Every Service has ready endpoints, every node’s dump is fresh and matches what kube-proxy should
            program.
          </p>
        </Empty>
      ) : (
        <>
          <p className="muted">
            {diag.data.findings.length} finding{diag.data.findings.length === 1 ? '' : 's'}, computed{' '}
            {new Date(diag.data.generatedAt).toLocaleString()}.
          </p>
          {groups.map((g) => (
            <section key={g.id} className="card findings-group" aria-labelledby={`g-${g.id}`}>
              <h2 id={`g-${g.id}`} style={{ marginTop: 0 }}>
                {g.title} ({g.findings.length})
              </h2>
              {g.byNode.length > 0 ? (
                g.byNode.map((b) => (
                  <div key={b.node} id={`node-${b.node}`}>
                    <h3>
                      {b.node === '(no node)' ? (
                        b.node
                      ) : (
                        <Link to={`/nodes/${encodeURIComponent(b.node)}`}>node {b.node}</Link>
                      )}{' '}
                      ({b.findings.length})
                    </h3>
                    <ul>
                      {b.findings.map((f, i) => (
                        <FindingItem key={i} f={f} />
                      ))}
                    </ul>
                  </div>
                ))
              ) : (
                <ul>
                  {g.findings.map((f, i) => (
                    <FindingItem key={i} f={f} />
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}
