import { useMemo, useState, type FormEvent } from 'react';
import type { NodeDto, ServiceSummaryDto } from '@svcpath/core';
import { useService } from '../../api/hooks.js';
import { destinationsOf } from './trace-target.js';

export interface TraceParams {
  node: string;
  src: string;
  dst: string;
  dport: string;
  proto: string;
  view: 'actual' | 'expected';
}

const MAX_SUGGESTIONS = 40;

/** Services whose name or cluster IP starts with what was typed, for a datalist. */
function suggest(services: ServiceSummaryDto[], query: string): ServiceSummaryDto[] {
  const q = query.trim().toLowerCase();
  if (!q) return services.slice(0, MAX_SUGGESTIONS);
  return services
    .filter((s) => `${s.namespace}/${s.name}`.toLowerCase().includes(q) || (s.clusterIP ?? '').startsWith(q))
    .slice(0, MAX_SUGGESTIONS);
}

/** Source and destination pickers; submitting writes the question into the URL. */
export function TraceForm({
  initial,
  nodes,
  services,
  onSubmit,
}: {
  initial: TraceParams;
  nodes: NodeDto[];
  services: ServiceSummaryDto[];
  onSubmit: (p: TraceParams) => void;
}) {
  const [p, setP] = useState(initial);
  const [svcQuery, setSvcQuery] = useState('');
  const [podQuery, setPodQuery] = useState('');
  const podService = services.find((s) => `${s.namespace}/${s.name}` === podQuery.trim());
  const podDetail = useService(podService?.namespace ?? '', podService?.name ?? '', podService !== undefined);
  const pods = (podDetail.data?.endpoints ?? []).filter((e) => e.pod !== null);
  const set = (k: keyof TraceParams, v: string) => setP((x) => ({ ...x, [k]: v }));
  const node = nodes.find((n) => n.name === p.node);

  const podMatches = useMemo(() => suggest(services, podQuery), [services, podQuery]);
  const matches = useMemo(() => suggest(services, svcQuery), [services, svcQuery]);
  const picked = services.find((s) => `${s.namespace}/${s.name}` === svcQuery.trim());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(p);
  };
  const valid = p.node && p.src && p.dst && /^\d+$/.test(p.dport);

  return (
    <form className="card" onSubmit={submit} aria-labelledby="trace-form-title">
      <h2 id="trace-form-title" style={{ marginTop: 0 }}>
        Packet
      </h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="t-node">Node</label>
          <select id="t-node" value={p.node} onChange={(e) => set('node', e.target.value)} required>
            <option value="">choose a node</option>
            {nodes.map((n) => (
              <option key={n.name} value={n.name}>
                {n.name} ({n.mode})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="t-view">Rules</label>
          <select id="t-view" value={p.view} onChange={(e) => set('view', e.target.value)}>
            <option value="actual">actual (node dump)</option>
            <option value="expected">expected (generated)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="t-src">Source IP</label>
          <input
            id="t-src"
            className="mono"
            value={p.src}
            onChange={(e) => set('src', e.target.value)}
            list="t-src-list"
            placeholder="pod, node or any IP"
            required
          />
          <datalist id="t-src-list">
            {node?.ips.map((ip) => (
              <option key={ip} value={ip}>
                node {node.name} (starts at OUTPUT)
              </option>
            ))}
            <option value="127.0.0.1">localhost on the node</option>
            <option value="203.0.113.50">a client outside the cluster</option>
          </datalist>
          <small>A node’s own IP starts at OUTPUT; any other at PREROUTING.</small>
        </div>
        <div className="field">
          <label htmlFor="t-pod-svc">…or a pod behind a Service</label>
          <input
            id="t-pod-svc"
            value={podQuery}
            onChange={(e) => setPodQuery(e.target.value)}
            list="t-pod-svc-list"
            placeholder="namespace/name"
            autoComplete="off"
          />
          <datalist id="t-pod-svc-list">
            {podMatches.map((s) => (
              <option key={`${s.namespace}/${s.name}`} value={`${s.namespace}/${s.name}`} />
            ))}
          </datalist>
        </div>
      </div>
      {podService && (
        <div role="group" aria-label={`Pods of ${podQuery}`} className="toolbar">
          <span className="muted">Source pod:</span>
          {podDetail.isPending && <span className="muted">loading pods…</span>}
          {!podDetail.isPending && pods.length === 0 && (
            <span className="muted">this Service has no pods</span>
          )}
          {pods.map((e) => (
            <button
              type="button"
              key={`${e.pod}-${e.address}`}
              aria-pressed={p.src === e.address}
              onClick={() => setP((x) => ({ ...x, src: e.address }))}
            >
              {e.pod} ({e.address}
              {e.nodeName ? ` on ${e.nodeName}` : ''})
            </button>
          ))}
        </div>
      )}
      <div className="toolbar">
        <div className="field">
          <label htmlFor="t-svc">Destination Service (optional)</label>
          <input
            id="t-svc"
            value={svcQuery}
            onChange={(e) => setSvcQuery(e.target.value)}
            list="t-svc-list"
            placeholder="namespace/name"
            autoComplete="off"
          />
          <datalist id="t-svc-list">
            {matches.map((s) => (
              <option key={`${s.namespace}/${s.name}`} value={`${s.namespace}/${s.name}`}>
                {s.clusterIP ?? s.type}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="t-dst">Destination IP</label>
          <input
            id="t-dst"
            className="mono"
            value={p.dst}
            onChange={(e) => set('dst', e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="t-dport">Port</label>
          <input
            id="t-dport"
            className="mono"
            inputMode="numeric"
            size={6}
            value={p.dport}
            onChange={(e) => set('dport', e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="t-proto">Protocol</label>
          <select id="t-proto" value={p.proto} onChange={(e) => set('proto', e.target.value)}>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
            <option value="sctp">SCTP</option>
          </select>
        </div>
        <button type="submit" className="primary" disabled={!valid}>
          Trace
        </button>
      </div>
      {picked && (
        <div role="group" aria-label={`Destinations of ${svcQuery}`} className="toolbar">
          <span className="muted">Use:</span>
          {destinationsOf(picked, nodes).map((d) => (
            <button
              type="button"
              key={d.label}
              onClick={() => setP((x) => ({ ...x, dst: d.dst, dport: String(d.dport), proto: d.proto }))}
            >
              {d.label}
            </button>
          ))}
        </div>
      )}
    </form>
  );
}
