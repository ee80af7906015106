import { useMemo, useState, type FormEvent } from 'react';
import type { NodeDto, PodDto, ServiceSummaryDto } from '@svcpath/core';
import { usePods } from '../../api/hooks.js';
import { podKey, podNodeOffer, podSourceIp, podWithIp } from './pod-source.js';
import { SourcePodPicker } from './SourcePodPicker.js';
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
/** Pods whose addresses contain a shared trace's source address, to find the one that is it. */
const SOURCE_LOOKUP = 100;

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
  const set = (k: keyof TraceParams, v: string) => setP((x) => ({ ...x, [k]: v }));
  const node = nodes.find((n) => n.name === p.node);

  // The source pod: the one picked, or (for a trace opened from its URL) the pod holding its source address.
  const [pickedPod, setPickedPod] = useState<PodDto | null>(null);
  const lookup = usePods({ q: initial.src, limit: SOURCE_LOOKUP }, initial.src !== '' && pickedPod === null);
  const candidate = pickedPod ?? (lookup.data ? podWithIp(lookup.data.items, initial.src) : null);
  // It stays the source only while the source address is one of its own (typing another ends that).
  const sourcePod = candidate && candidate.podIPs.includes(p.src) ? candidate : null;
  const shownPod = sourcePod ?? (candidate && candidate.podIPs.length === 0 ? candidate : null);
  const pickPod = (pod: PodDto) => {
    setPickedPod(pod);
    setP((x) => ({ ...x, src: podSourceIp(pod, x.dst, x.src) ?? x.src }));
  };
  /** A new destination; a pod source follows it to the pod's address of the same family. */
  const withDst = (x: TraceParams, dst: string): TraceParams => ({
    ...x,
    dst,
    src: candidate?.podIPs.includes(x.src) ? (podSourceIp(candidate, dst, x.src) ?? x.src) : x.src,
  });
  const nodeOffer = sourcePod ? podNodeOffer(sourcePod, p.node, nodes) : null;

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
        <SourcePodPicker selected={shownPod} onPick={pickPod} />
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
            {sourcePod?.podIPs.map((ip) => (
              <option key={`pod-${ip}`} value={ip}>
                pod {podKey(sourcePod)}
              </option>
            ))}
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
      </div>
      {shownPod && (
        <SourcePodNote
          pod={shownPod}
          traceNode={p.node}
          offer={nodeOffer}
          onUseNode={(n) => set('node', n)}
        />
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
            onChange={(e) => {
              const dst = e.target.value;
              setP((x) => withDst(x, dst));
            }}
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
              onClick={() => setP((x) => ({ ...withDst(x, d.dst), dport: String(d.dport), proto: d.proto }))}
            >
              {d.label}
            </button>
          ))}
        </div>
      )}
    </form>
  );
}

/** Which pod the packet comes from, where it enters kube-proxy's rules, and the node to trace on. */
function SourcePodNote({
  pod,
  traceNode,
  offer,
  onUseNode,
}: {
  pod: PodDto;
  traceNode: string;
  offer: string | null;
  onUseNode: (node: string) => void;
}) {
  const where =
    pod.node === null
      ? 'not scheduled on a node yet'
      : pod.hostNetwork
        ? `hostNetwork on ${pod.node}: it sends from the node’s own address, so its packets start at OUTPUT there`
        : `on ${pod.node}: its packets enter kube-proxy’s rules there, at PREROUTING`;
  return (
    <div className="pod-source-note" role="group" aria-label="Where the packet comes from">
      <span>
        From pod <strong className="mono">{podKey(pod)}</strong>{' '}
        {pod.podIPs.length > 0 ? <span className="mono">({pod.podIPs.join(', ')})</span> : null}, {where}.
      </span>
      {pod.podIPs.length === 0 && <span className="badge warning">⚠ no IP yet: it cannot send</span>}
      {!pod.ready && pod.podIPs.length > 0 && (
        <span className="badge neutral">
          {pod.phase === 'Running' || pod.phase === null ? 'not ready' : pod.phase}
        </span>
      )}
      {offer !== null ? (
        <button type="button" onClick={() => onUseNode(offer)}>
          Trace on {offer}, the pod’s node
        </button>
      ) : (
        pod.node !== null && pod.node === traceNode && <span className="badge ok">✓ traced on its node</span>
      )}
    </div>
  );
}
