// The built-in demo cluster: the classic tutorial Services on three nodes (iptables, nftables,
// IPVS), with a timeline of endpoint changes. Pure: time is passed in, nothing runs by itself.
import { endpointSlicesFromPods, proxySettingsFromConfig } from '@svcpath/core';
import type { ClusterState, DumpKind, EndpointSlice, Pod, ProxySettings } from '@svcpath/core';
import { generateNodeDumps } from './dumps.js';
import { DEMO_NODES, SERVICE_CIDR, demoNode, kubeProxyConfig } from './nodes.js';
import { demoPods, type WorkloadState } from './pods.js';
import { demoServices, kubernetesSlice } from './services.js';
import { PHASE_SECONDS, phaseOfStep, stepAt } from './timeline.js';

/** A change to one object, in the shape cluster sources report them. */
export interface DemoChangeEvent {
  kind: 'service' | 'endpointslice' | 'pod' | 'node' | 'config';
  type: 'add' | 'update' | 'delete';
  namespace?: string;
  name: string;
}

export interface DemoDump {
  node: string;
  kind: DumpKind;
  text: string;
  collectedAt: Date;
}

/** The node whose dumps lag one change behind the cluster, so drift is visible. */
export const LAGGING_NODE = 'node-a';

export interface DemoCluster {
  readonly startTime: Date;
  /** The current objects (a fresh copy each call is not made: treat as read-only). */
  state(): ClusterState;
  /** Each node's KubeProxyConfiguration (its ConfigMap). */
  kubeProxyConfigs(): Record<string, Record<string, unknown>>;
  /** Each node's kube-proxy settings, resolved by core from its configuration. */
  nodeSettings(): Record<string, ProxySettings>;
  /** Each node's dumps as the node shows them now (the lagging node one change behind). */
  dumps(): DemoDump[];
  /** What happened at the latest change, in words. */
  lastChange(): string;
  /** Moves the timeline to `now`; returns what changed (empty when nothing did). */
  advance(now: Date): DemoChangeEvent[];
}

interface Generation {
  step: number;
  at: Date;
  state: ClusterState;
}

export function createDemoCluster(opts: { startTime?: Date } = {}): DemoCluster {
  const startTime = opts.startTime ?? new Date(0);
  const created = startTime.toISOString();
  const nodes = DEMO_NODES.map((n) => demoNode(n, created));
  const services = demoServices();
  const configs = Object.fromEntries(DEMO_NODES.map((n) => [n.name, kubeProxyConfig(n)]));
  const settings: Record<string, ProxySettings> = {};
  for (const spec of DEMO_NODES) {
    const node = nodes.find((n) => n.metadata.name === spec.name);
    const resolved = proxySettingsFromConfig(configs[spec.name], {
      name: spec.name,
      ...(node ? { node } : {}),
      overrides: { serviceCIDRs: [SERVICE_CIDR], zone: spec.zone },
    });
    settings[spec.name] = resolved.settings;
  }

  const build = (workloads: WorkloadState): ClusterState => {
    const pods = demoPods(workloads, created);
    const endpointSlices = [
      ...endpointSlicesFromPods(services, pods, nodes),
      kubernetesSlice('192.168.49.2'),
    ];
    return { services, endpointSlices, pods, nodes };
  };

  let current: Generation = { step: 0, at: startTime, state: build(phaseOfStep(0).state) };
  let previous: Generation = current;
  const dumpCache = new Map<string, DemoDump[]>();

  const dumpsOf = (gen: Generation, node: string): DemoDump[] => {
    const key = `${gen.step}/${node}`;
    let cached = dumpCache.get(key);
    if (!cached) {
      const s = settings[node];
      if (!s) return [];
      const generated = generateNodeDumps(gen.state, s, gen.step);
      cached = Object.entries(generated).map(([kind, text]) => ({
        node,
        kind: kind as DumpKind,
        text,
        collectedAt: gen.at,
      }));
      dumpCache.set(key, cached);
    }
    return cached;
  };

  return {
    startTime,
    state: () => current.state,
    kubeProxyConfigs: () => configs,
    nodeSettings: () => settings,
    dumps: () => DEMO_NODES.flatMap((n) => dumpsOf(n.name === LAGGING_NODE ? previous : current, n.name)),
    lastChange: () => phaseOfStep(current.step).description,
    advance(now: Date): DemoChangeEvent[] {
      const step = stepAt(startTime, now);
      if (step === current.step) return [];
      const next: Generation = {
        step,
        at: new Date(startTime.getTime() + step * PHASE_SECONDS * 1000),
        state: build(phaseOfStep(step).state),
      };
      const events = diffObjects(current.state, next.state);
      previous = current;
      current = next;
      // Only the two generations in use are worth keeping.
      for (const key of dumpCache.keys())
        if (!key.startsWith(`${current.step}/`) && !key.startsWith(`${previous.step}/`))
          dumpCache.delete(key);
      return events;
    },
  };
}

function diffObjects(before: ClusterState, after: ClusterState): DemoChangeEvent[] {
  return [
    ...diffList('pod', before.pods, after.pods),
    ...diffList('endpointslice', before.endpointSlices, after.endpointSlices),
  ];
}

function diffList(
  kind: DemoChangeEvent['kind'],
  before: ReadonlyArray<Pod | EndpointSlice>,
  after: ReadonlyArray<Pod | EndpointSlice>,
): DemoChangeEvent[] {
  const key = (o: Pod | EndpointSlice) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const old = new Map(before.map((o) => [key(o), JSON.stringify(o)]));
  const events: DemoChangeEvent[] = [];
  const ref = (o: Pod | EndpointSlice) =>
    o.metadata.namespace !== undefined
      ? { namespace: o.metadata.namespace, name: o.metadata.name }
      : { name: o.metadata.name };
  for (const o of after) {
    const prev = old.get(key(o));
    if (prev === undefined) events.push({ kind, type: 'add', ...ref(o) });
    else if (prev !== JSON.stringify(o)) events.push({ kind, type: 'update', ...ref(o) });
    old.delete(key(o));
  }
  for (const o of before) if (old.has(key(o))) events.push({ kind, type: 'delete', ...ref(o) });
  return events;
}
