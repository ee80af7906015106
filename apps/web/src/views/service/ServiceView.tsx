import { useMemo, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useNodes, useService, useServiceGraph } from '../../api/hooks.js';
import type { GraphView as GraphViewKind } from '../../api/queries.js';
import { ExportButtons } from '../../components/ExportButtons.js';
import { GraphView, type GraphExport } from '../../components/graph/GraphView.js';
import { HealthBadge, SeverityBadge } from '../../components/HealthBadge.js';
import { Legend } from '../../components/Legend.js';
import { Empty, ErrorState, Loading } from '../../components/States.js';
import { Tabs } from '../../components/Tabs.js';
import { DiscoveryPanel } from './DiscoveryPanel.js';
import { EndpointsTable } from './EndpointsTable.js';
import { GraphControls } from './GraphControls.js';
import { portLabel, portOf } from './port-tabs.js';

/** The dump browser at one chain; IPVS virtual servers live in the ipvs dump, their companions in iptables. */
function dumpLink(node: string, mode: string, table: string, chain: string): string {
  const kind = mode === 'nftables' ? 'nft' : table === 'ipvs' ? 'ipvs' : 'iptables';
  return `/nodes/${encodeURIComponent(node)}?${new URLSearchParams({ kind, table, chain }).toString()}`;
}

export default function ServiceView() {
  const { namespace = '', name = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const detail = useService(namespace, name);
  const nodes = useNodes();
  const node = params.get('node') ?? nodes.data?.[0]?.name;
  const view: GraphViewKind = params.get('view') === 'expected' ? 'expected' : 'actual';
  const showDrift = params.get('drift') !== 'off';
  // ExternalName and headless Services have no proxy rules: no graph to ask for.
  const proxied =
    detail.data !== undefined && detail.data.summary.type !== 'ExternalName' && !detail.data.summary.headless;
  const graph = useServiceGraph(namespace, name, node, view, proxied);
  const other = useServiceGraph(
    namespace,
    name,
    node,
    view === 'actual' ? 'expected' : 'actual',
    proxied && showDrift,
  );
  const graphExport = useRef<GraphExport>(null);
  // The export buttons read the SVG when clicked. The page draws only the part of a big graph
  // around the view, so the whole graph is drawn for the file at that moment.
  const svgRef = useMemo(
    () => ({
      get current(): SVGSVGElement | null {
        return graphExport.current?.wholeGraphSvg() ?? null;
      },
    }),
    [],
  );

  const set = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes))
          if (v === null) next.delete(k);
          else next.set(k, v);
        return next;
      },
      { replace: true },
    );

  const services = graph.data?.services ?? [];
  const portParam = params.get('port');
  const current = services.find((s) => s.service === portParam) ?? services[0];
  const otherGraph = useMemo(
    () =>
      showDrift && current && other.data && !other.data.unavailable
        ? (other.data.services.find((s) => s.service === current.service) ?? null)
        : null,
    [showDrift, current, other.data],
  );

  if (detail.isPending) return <Loading what={`Service ${namespace}/${name}`} />;
  if (detail.isError)
    return (
      <ErrorState
        error={detail.error}
        what={`Service ${namespace}/${name}`}
        retry={() => void detail.refetch()}
      />
    );
  const d = detail.data;
  const s = d.summary;
  const port = (current ? portOf(current, s.ports) : null) ?? s.ports[0] ?? null;
  const nodeInfo = nodes.data?.find((n) => n.name === node);
  const traceLink =
    proxied && s.clusterIP && port && node
      ? `/trace?${new URLSearchParams({ node, src: '', dst: s.clusterIP, dport: String(port.port), proto: port.protocol.toLowerCase() }).toString()}`
      : null;
  const drift = (graph.data?.drift ?? []).filter((x) => !current || x.service === current.service);

  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to="/">Overview</Link> › Services › {namespace}
      </nav>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h1>
          {namespace}/{name} <HealthBadge health={s.health} reasons={s.healthReasons} />
        </h1>
        <ExportButtons
          data={{ service: d, graph: graph.data }}
          name={`${namespace}-${name}-${node ?? ''}-${view}`}
          svgRef={current ? svgRef : undefined}
        />
      </div>

      <section className="card" aria-labelledby="spec-title">
        <h2 id="spec-title" style={{ marginTop: 0 }}>
          What this Service is
        </h2>
        {d.description.length > 0 ? (
          <ul>
            {d.description.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">No description from the server.</p>
        )}
        {s.healthReasons.length > 0 && (
          <p>
            <strong>Health: </strong>
            {s.healthReasons.join('; ')}
          </p>
        )}
        {traceLink && (
          <p>
            <Link to={traceLink}>Trace a connection to this port →</Link>
          </p>
        )}
      </section>

      <section aria-labelledby="path-title">
        <h2 id="path-title">Path through kube-proxy’s rules</h2>
        {proxied && (
          <GraphControls
            nodes={nodes.data ?? []}
            node={node}
            view={view}
            showDrift={showDrift}
            onNode={(n) => set({ node: n })}
            onView={(v) => set({ view: v })}
            onDrift={(on) => set({ drift: on ? null : 'off' })}
          />
        )}
        {s.type === 'ExternalName' ? (
          <Empty title="No proxy rules for an ExternalName Service">
            <p>
              DNS answers with a CNAME to {s.externalName}; kube-proxy programs nothing. See the DNS records
              below.
            </p>
          </Empty>
        ) : s.headless ? (
          <Empty title="No proxy rules for a headless Service">
            <p>
              With clusterIP None, DNS returns the pod IPs directly and kube-proxy programs nothing. See the
              DNS records below.
            </p>
          </Empty>
        ) : !node ? (
          nodes.isPending ? (
            <Loading what="nodes" />
          ) : (
            <Empty title="No node to show">
              The cluster lists no nodes, so there is no dataplane to draw.
            </Empty>
          )
        ) : graph.isPending ? (
          <Loading what={`the ${view} path on ${node}`} />
        ) : graph.isError ? (
          <ErrorState
            error={graph.error}
            what={`the ${view} path on ${node}`}
            retry={() => void graph.refetch()}
          />
        ) : graph.data.unavailable ? (
          <Empty title={`No ${view} rules for ${node}`}>
            <p>{graph.data.unavailable}</p>
            {view === 'actual' && nodeInfo?.dumps.length === 0 ? (
              <p>
                No dump for node {node}: run the svcpath agent on it or{' '}
                <Link to={`/nodes/${encodeURIComponent(node)}`}>upload one</Link>. Meanwhile, the expected
                view shows what kube-proxy should program.
              </p>
            ) : (
              <p>
                The node’s dumps are listed on its{' '}
                <Link to={`/nodes/${encodeURIComponent(node)}`}>node page</Link>, where the rules can be
                browsed directly.
              </p>
            )}
            <button type="button" onClick={() => set({ view: 'expected' })}>
              Show expected
            </button>
          </Empty>
        ) : services.length === 0 || !current ? (
          <Empty title={`No rules for this Service on ${node}`}>
            <p>
              The {view} {graph.data.mode} ruleset on {node} has no chains for {namespace}/{name}.{' '}
              {view === 'actual'
                ? 'kube-proxy may not have synced yet, or it is not running on this node; compare with the expected view.'
                : 'Check that the Service has ports and a cluster IP.'}
            </p>
          </Empty>
        ) : (
          <>
            <Tabs
              label="Service ports"
              panelId="port-panel"
              items={services.map((g) => ({ id: g.service, label: portLabel(g, s.ports) }))}
              selected={current.service}
              onSelect={(id) => set({ port: id })}
            />
            <div id="port-panel" role="tabpanel" aria-label={`Path for ${portLabel(current, s.ports)}`}>
              <p className="muted">
                {graph.data.mode} mode on {node}, {view} rules
                {graph.isFetching ? ' · updating…' : ''}. {current.endpoints.length} endpoint
                {current.endpoints.length === 1 ? '' : 's'}
                {current.chain ? `; Service chain ${current.chain}` : ''}. Hover or focus a box or an edge for
                its rule.
              </p>
              {showDrift && other.data?.unavailable && (
                <p className="muted">No drift comparison: {other.data.unavailable}</p>
              )}
              {showDrift && graph.data.driftPending && (
                <p className="muted" role="status">
                  Comparing {node}&rsquo;s rules with the expected ones (a large cluster takes a few seconds);
                  drift shows here when done.
                </p>
              )}
              {drift.length > 0 && (
                <div className="state" role="note" style={{ borderColor: 'var(--drift)' }}>
                  <strong>⚠ Drift between expected and actual:</strong>
                  <ul>
                    {drift.map((x, i) => (
                      <li key={i}>{x.message}</li>
                    ))}
                  </ul>
                </div>
              )}
              {current.warnings.length > 0 && (
                <ul className="muted">
                  {current.warnings.map((w, i) => (
                    <li key={i}>⚠ {w}</li>
                  ))}
                </ul>
              )}
              <GraphView
                ruleLink={
                  view === 'actual' && node
                    ? (table, chain) => dumpLink(node, graph.data.mode, table, chain)
                    : undefined
                }
                graph={current}
                other={otherGraph}
                endpoints={d.endpoints}
                view={view}
                exportRef={graphExport}
                title={`${view} path for ${current.service} on ${node}, ${graph.data.mode} mode`}
              />
              <details style={{ marginTop: '0.5rem' }}>
                <summary>Legend</summary>
                <Legend />
              </details>
            </div>
          </>
        )}
      </section>

      <h2>Endpoints</h2>
      {s.type === 'ExternalName' ? (
        <p className="muted">
          An ExternalName Service has no endpoints: clients resolve the CNAME and connect to {s.externalName}{' '}
          directly.
        </p>
      ) : (
        <EndpointsTable endpoints={d.endpoints} />
      )}
      <DiscoveryPanel dns={d.dns} env={d.env} />
      {d.findings.length > 0 && (
        <>
          <h2>Findings</h2>
          <ul>
            {d.findings.map((f, i) => (
              <li key={i}>
                <SeverityBadge severity={f.severity} /> {f.message}{' '}
                {f.link && <Link to={f.link}>explain</Link>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
