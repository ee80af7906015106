import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { TraceRequestDto } from '@svcpath/core';
import { useNodes, useService, useServiceGraph, useServices, useTrace } from '../../api/hooks.js';
import { ExportButtons } from '../../components/ExportButtons.js';
import { GraphView } from '../../components/graph/GraphView.js';
import { Empty, ErrorState, Loading } from '../../components/States.js';
import { withEntryNodes } from '../../layout/graph-model.js';
import { highlightOutcome } from '../../layout/trace-highlight.js';
import { portNameOf } from '../service/port-tabs.js';
import { TraceForm, type TraceParams } from './TraceForm.js';
import { TraceResult } from './TraceResult.js';
import { findTraceTarget } from './trace-target.js';

const PROTOS = ['tcp', 'udp', 'sctp'] as const;
const ALL = { namespace: '', q: '', type: '' };

export default function TraceView() {
  const [params, setParams] = useSearchParams();
  const nodes = useNodes();
  const services = useServices(ALL);
  const current: TraceParams = {
    node: params.get('node') ?? '',
    src: params.get('src') ?? '',
    dst: params.get('dst') ?? '',
    dport: params.get('dport') ?? '',
    proto: params.get('proto') ?? 'tcp',
    view: params.get('view') === 'expected' ? 'expected' : 'actual',
  };
  const selected = Number(params.get('outcome') ?? '0') || 0;
  const proto = PROTOS.find((p) => p === current.proto.toLowerCase()) ?? 'tcp';
  const request: TraceRequestDto | null =
    current.node && current.src && current.dst && /^\d+$/.test(current.dport)
      ? {
          node: current.node,
          src: current.src,
          dst: current.dst,
          dport: Number(current.dport),
          proto,
          view: current.view,
        }
      : null;
  const trace = useTrace(request);

  const dst = request?.dst ?? '';
  const dport = request?.dport ?? 0;
  const target = useMemo(
    () =>
      dst && services.data && nodes.data
        ? findTraceTarget(services.data.items, nodes.data, dst, dport, proto)
        : null,
    [dst, dport, proto, services.data, nodes.data],
  );

  const submit = (p: TraceParams) =>
    setParams(
      new URLSearchParams({
        node: p.node,
        src: p.src,
        dst: p.dst,
        dport: p.dport,
        proto: p.proto,
        ...(p.view === 'expected' ? { view: 'expected' } : {}),
      }),
    );

  return (
    <>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h1>Trace a packet</h1>
        {trace.data && (
          <ExportButtons data={trace.data} name={`trace-${current.node}-${current.dst}-${current.dport}`} />
        )}
      </div>
      <p className="muted">
        The first packet of a new connection from a new client, walked through the node’s rules in kernel
        order. Random branches become probabilities; matches the tracer cannot decide are listed as
        assumptions.
      </p>
      {nodes.isPending ? (
        <Loading what="nodes" />
      ) : nodes.isError ? (
        <ErrorState error={nodes.error} what="nodes" />
      ) : (
        <TraceForm
          key={params.toString()}
          initial={{ ...current, node: current.node || nodes.data[0]?.name || '' }}
          nodes={nodes.data}
          services={services.data?.items ?? []}
          onSubmit={submit}
        />
      )}
      {!request ? (
        <Empty title="Nothing traced yet">
          <p>
            Choose a node, a source and a destination, then press Trace. Pick a Service to fill in its cluster
            IP, node ports or load balancer IPs.
          </p>
        </Empty>
      ) : trace.isPending ? (
        <Loading what="the trace" />
      ) : trace.isError ? (
        <ErrorState error={trace.error} what="the trace" retry={() => void trace.refetch()} />
      ) : (
        <>
          <TraceResult
            result={trace.data}
            selected={Math.min(selected, Math.max(0, trace.data.outcomes.length - 1))}
            onSelect={(i) =>
              setParams(
                (prev) => {
                  const next = new URLSearchParams(prev);
                  next.set('outcome', String(i));
                  return next;
                },
                { replace: true },
              )
            }
          />
          {target && (
            <TraceOnGraph
              namespace={target.service.namespace}
              name={target.service.name}
              portName={target.portName}
              node={current.node}
              view={current.view}
              outcome={trace.data.outcomes[Math.min(selected, trace.data.outcomes.length - 1)]}
              dst={{ ip: request.dst, port: request.dport }}
            />
          )}
        </>
      )}
    </>
  );
}

function TraceOnGraph({
  namespace,
  name,
  portName,
  node,
  view,
  outcome,
  dst,
}: {
  namespace: string;
  name: string;
  portName: string;
  node: string;
  view: 'actual' | 'expected';
  outcome: Parameters<typeof highlightOutcome>[1] | undefined;
  dst: { ip: string; port: number };
}) {
  const graph = useServiceGraph(namespace, name, node, view);
  const detail = useService(namespace, name);
  const port =
    graph.data?.services.find((s) => portNameOf(s.service) === portName) ?? graph.data?.services[0];
  const { ip, port: dport } = dst;
  const highlight = useMemo(
    () => (port && outcome ? highlightOutcome(withEntryNodes(port), outcome, { ip, port: dport }) : null),
    [port, outcome, ip, dport],
  );
  return (
    <section aria-labelledby="trace-graph-title">
      <h2 id="trace-graph-title">
        On the graph of{' '}
        <Link
          to={`/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}?node=${encodeURIComponent(node)}&view=${view}`}
        >{`${namespace}/${name}`}</Link>
      </h2>
      {graph.isPending ? (
        <Loading what="the Service graph" />
      ) : graph.isError ? (
        <ErrorState error={graph.error} what="the Service graph" />
      ) : graph.data.unavailable || !port ? (
        <p className="muted">{graph.data.unavailable ?? 'No graph for this port.'}</p>
      ) : (
        <GraphView
          graph={port}
          endpoints={detail.data?.endpoints ?? []}
          view={view}
          highlight={highlight}
          title={`Traced path on ${port.service}, ${node}`}
        />
      )}
    </section>
  );
}
