import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { DumpKind } from '@svcpath/core';
import { useNode } from '../../api/hooks.js';
import { ExportButtons } from '../../components/ExportButtons.js';
import { Badge, ReadyBadge } from '../../components/HealthBadge.js';
import { Empty, ErrorState, Loading } from '../../components/States.js';
import { formatAge, formatBytes } from '../../util/format.js';
import { DumpBrowser } from './DumpBrowser.js';
import { DumpUpload } from './DumpUpload.js';

const KINDS: DumpKind[] = ['iptables', 'ip6tables', 'nft', 'ipvs', 'ipset'];

export default function NodeView() {
  const { name = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const node = useNode(name);

  if (node.isPending) return <Loading what={`node ${name}`} />;
  if (node.isError)
    return <ErrorState error={node.error} what={`node ${name}`} retry={() => void node.refetch()} />;
  const n = node.data;
  const kindParam = params.get('kind');
  const kind = KINDS.find((k) => k === kindParam) ?? n.dumps[0]?.kind;

  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to="/">Overview</Link> › Nodes
      </nav>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h1>
          Node {n.name} <ReadyBadge ready={n.ready} />
        </h1>
        <ExportButtons data={n} name={`node-${n.name}`} />
      </div>
      <section className="card">
        <p style={{ marginTop: 0 }}>
          Proxy mode <strong>{n.mode}</strong> (from {n.modeSource}). Addresses{' '}
          <span className="mono">{n.ips.join(', ') || '—'}</span>
          {n.zone ? `, zone ${n.zone}` : ''}.{' '}
          {n.driftPending ? (
            'Generating the expected rules to compare with the dump…'
          ) : n.drift === null ? (
            'No drift check without a dump.'
          ) : n.drift === 0 ? (
            'The dump matches what kube-proxy should program.'
          ) : (
            <Link to="/diagnostics">{`${n.drift} drift findings`}</Link>
          )}
        </p>
        {n.dumps.length === 0 ? (
          <p>
            <Badge tone="warning" icon="!">
              no dump
            </Badge>{' '}
            No dump for node {n.name}: run the svcpath agent on it, or upload one below (
            <code>iptables-save -c</code>, <code>nft list ruleset</code> or <code>ipvsadm -S -n</code>).
          </p>
        ) : (
          <div className="segmented" role="group" aria-label="Dump kind">
            {n.dumps.map((d) => (
              <button
                key={d.kind}
                type="button"
                aria-pressed={d.kind === kind}
                onClick={() => setParams({ kind: d.kind })}
              >
                {d.kind} · {formatAge(d.ageSeconds)} old · {d.source} · {formatBytes(d.bytes)}
                {d.stale ? ' · ◷ stale' : ''}
              </button>
            ))}
          </div>
        )}
      </section>
      {kind && n.dumps.some((d) => d.kind === kind) ? (
        <DumpBrowser node={n.name} kind={kind} />
      ) : (
        n.dumps.length > 0 && <Empty title="Choose a dump">Pick one of the dumps above to browse it.</Empty>
      )}
      <DumpUpload
        node={n.name}
        defaultKind={n.mode === 'nftables' ? 'nft' : n.mode === 'ipvs' ? 'ipvs' : 'iptables'}
      />
    </>
  );
}
