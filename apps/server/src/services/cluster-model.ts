// The server's state: the source's cluster objects, each node's dumps, and everything derived
// from them per node (expected dataplane, parsed dumps, graphs, drift), computed lazily and
// cached until a change invalidates it.
import type {
  ChangeEventDto,
  ClusterState,
  DumpInfoDto,
  DumpKind,
  GraphResult,
  NodeDto,
  ProxyMode,
  ServiceGraph,
} from '@svcpath/core';
import { LRUCache } from 'lru-cache';
import type { DumpStore, StoredDump } from './dump-store.js';
import { DUMP_KINDS } from './dump-store.js';
import type { EventHub } from './event-hub.js';
import * as engine from './engine.js';
import type { DriftItem, ParsedDump } from './engine.js';
import { nodeReady, nodeZone, settingsFromConfig, withDumpMode, type NodeSettings } from './node-settings.js';
import { buildServiceIndex, serviceKey, type ServiceIndex } from './service-summaries.js';

export interface ModelInput {
  cluster: ClusterState;
  /** Per node: the kube-proxy settings the source knows; absent nodes get kube-proxy's defaults. */
  nodeSettings?: Record<string, NodeSettings>;
}

export type View = 'actual' | 'expected';

export interface NodeGraph {
  mode: ProxyMode;
  graph: GraphResult | null;
  unavailable?: string;
}

interface NodeCache {
  settings?: NodeSettings;
  actualParsed: Map<DumpKind, ParsedDump>;
  expectedParsed?: Map<DumpKind, ParsedDump> | { unavailable: string };
  expectedText?: engine.ExpectedDumps;
  graphs: Partial<Record<View, NodeGraph>>;
  drift?: DriftItem[] | null;
  /** Traces computed from this node's state (serialised), until that state changes. */
  traces?: LRUCache<string, string>;
}

/** Traces kept per node: a dashboard asks the same few again and again (refetches, shared links). */
const TRACES_PER_NODE = 256;

/** Dumps older than this are reported as stale even when their collector did not fail. */
const DEFAULT_STALE_AFTER_SECONDS = 300;

/**
 * Lists of nodes (nodes, diagnostics, a Service's findings) compute drift within a time budget.
 * Drift needs a node's expected rules (generated, parsed, graphed: seconds per node on a
 * 10,000-Service cluster) and every cluster change invalidates them on every node; beyond the
 * budget nodes are computed in the background, one per turn of the event loop, and announced
 * with a `nodes` event each.
 */
const DEFAULT_DRIFT_BUDGET_MS = 250;

/**
 * Clusters up to this many Services plus endpoints have their drift computed while a request
 * waits (well under the budget per node); larger ones always in the background, since one node
 * can take seconds and a budget is only checked between nodes.
 */
const SMALL_CLUSTER_OBJECTS = 2000;

/** A node's drift as a list shows it: known (null without a dump to compare) or being computed. */
export type DriftState = { items: DriftItem[] | null } | 'pending';

export class ClusterModel {
  private input: ModelInput = { cluster: { services: [], endpointSlices: [], pods: [], nodes: [] } };
  private index: ServiceIndex = buildServiceIndex(this.input.cluster);
  private signatures = new Map<string, string>();
  private nodeSignatures = new Map<string, string>();
  private readonly caches = new Map<string, NodeCache>();
  /** Nodes whose drift the background computes next, in order. */
  private readonly driftQueue = new Set<string>();
  /** Services plus endpoints within SMALL_CLUSTER_OBJECTS (set with the cluster). */
  private small = true;
  private driftTurn: NodeJS.Immediate | undefined;

  constructor(
    readonly dumps: DumpStore,
    private readonly hub: EventHub,
    readonly now: () => Date,
    readonly staleAfterSeconds = DEFAULT_STALE_AFTER_SECONDS,
    private readonly driftBudgetMs = DEFAULT_DRIFT_BUDGET_MS,
  ) {
    dumps.onChange((node, kind) => this.onDumpChange(node, kind));
  }

  get cluster(): ClusterState {
    return this.input.cluster;
  }

  get services(): ServiceIndex {
    return this.index;
  }

  /**
   * Replace the cluster state; announce the Services and nodes whose view changed. Derived data
   * is dropped only when something that feeds it changed (a resync with equal objects keeps it).
   */
  setCluster(input: ModelInput): void {
    this.input = input;
    this.index = buildServiceIndex(input.cluster);
    this.small = this.index.summaries.reduce((n, s) => n + 1 + s.endpoints.total, 0) <= SMALL_CLUSTER_OBJECTS;
    const events: ChangeEventDto[] = [];
    const signatures = new Map<string, string>();
    for (const [key, entry] of this.index.byKey) {
      const sig = JSON.stringify([entry.summary, entry.slices, entry.service]);
      signatures.set(key, sig);
      if (this.signatures.get(key) !== sig)
        events.push({ type: 'services', namespace: entry.summary.namespace, name: entry.summary.name });
    }
    for (const key of this.signatures.keys()) {
      if (signatures.has(key)) continue;
      const [namespace = '', name = ''] = key.split('/');
      events.push({ type: 'services', namespace, name });
    }
    this.signatures = signatures;
    const nodeSignatures = new Map<string, string>();
    for (const node of input.cluster.nodes) {
      nodeSignatures.set(
        node.metadata.name,
        JSON.stringify([node, input.nodeSettings?.[node.metadata.name] ?? null]),
      );
    }
    const nodesChanged =
      nodeSignatures.size !== this.nodeSignatures.size ||
      [...nodeSignatures].some(([name, sig]) => this.nodeSignatures.get(name) !== sig);
    const removedNodes = [...this.nodeSignatures.keys()].filter((n) => !nodeSignatures.has(n));
    this.nodeSignatures = nodeSignatures;
    if (events.length === 0 && !nodesChanged) return;

    for (const cache of this.caches.values()) {
      delete cache.settings;
      delete cache.expectedParsed;
      delete cache.expectedText;
      cache.graphs = {};
      delete cache.drift;
      delete cache.traces;
    }
    // Every node's expected dataplane depends on every Service: any node's drift may change.
    for (const name of [...nodeSignatures.keys(), ...removedNodes]) events.push({ type: 'nodes', name });
    events.push({ type: 'diagnostics' }, { type: 'status' });
    for (const e of events) this.hub.publish(e);
  }

  private onDumpChange(node: string, kind: DumpKind): void {
    const cache = this.caches.get(node);
    if (cache) {
      cache.actualParsed.delete(kind);
      delete cache.graphs.actual;
      delete cache.drift;
      delete cache.settings;
      delete cache.traces;
    }
    this.hub.publish({ type: 'dump', node, kind });
    this.hub.publish({ type: 'nodes', name: node });
    this.hub.publish({ type: 'diagnostics' });
  }

  hasNode(name: string): boolean {
    return this.input.cluster.nodes.some((n) => n.metadata.name === name);
  }

  nodeNames(): string[] {
    return this.input.cluster.nodes.map((n) => n.metadata.name).sort();
  }

  private cache(node: string): NodeCache {
    let c = this.caches.get(node);
    if (!c) {
      c = { actualParsed: new Map(), graphs: {} };
      this.caches.set(node, c);
    }
    return c;
  }

  settings(nodeName: string): NodeSettings | null {
    const node = this.input.cluster.nodes.find((n) => n.metadata.name === nodeName);
    if (!node) return null;
    const cache = this.cache(nodeName);
    if (!cache.settings) {
      const known = this.input.nodeSettings?.[nodeName] ?? settingsFromConfig(node, undefined);
      cache.settings = withDumpMode(known, engine.detectMode(this.actualParsed(nodeName)));
    }
    return cache.settings;
  }

  /**
   * Memo of traces on the node's current state (its settings, dumps and expected rules), keyed by
   * the question; emptied whenever any of these change.
   */
  traces(node: string): LRUCache<string, string> {
    const cache = this.cache(node);
    cache.traces ??= new LRUCache({ max: TRACES_PER_NODE });
    return cache.traces;
  }

  /** The node's stored dumps, parsed by core (cached per dump). */
  actualParsed(node: string): Map<DumpKind, ParsedDump> {
    const cache = this.cache(node);
    for (const dump of this.dumps.forNode(node)) {
      if (!cache.actualParsed.has(dump.kind))
        cache.actualParsed.set(dump.kind, engine.parseDump(dump.kind, dump.text));
    }
    return cache.actualParsed;
  }

  parsedDump(node: string, kind: DumpKind): ParsedDump | null {
    if (!this.dumps.get(node, kind)) return null;
    return this.actualParsed(node).get(kind) ?? null;
  }

  /** The node's expected dumps as text (generated by core), or why there are none. */
  expectedText(node: string): engine.ExpectedDumps | { unavailable: string } {
    const cache = this.cache(node);
    if (cache.expectedText) return cache.expectedText;
    const s = this.settings(node);
    if (!s) return { unavailable: `unknown node ${node}` };
    const generated = guarded(`generating ${s.settings.mode} rules for ${node}`, () =>
      engine.generateExpected(this.input.cluster, s.settings),
    );
    if (engine.isUnavailable(generated)) return generated;
    cache.expectedText = generated;
    return generated;
  }

  private expectedParsed(node: string): Map<DumpKind, ParsedDump> | { unavailable: string } {
    const cache = this.cache(node);
    if (cache.expectedParsed) return cache.expectedParsed;
    const text = this.expectedText(node);
    if (engine.isUnavailable(text)) return text;
    const parsed = new Map<DumpKind, ParsedDump>();
    for (const kind of DUMP_KINDS) {
      const t = text[kind];
      if (t !== undefined) parsed.set(kind, engine.parseDump(kind, t));
    }
    cache.expectedParsed = parsed;
    return parsed;
  }

  /** The parsed dumps a view uses: generated ones (expected) or collected ones (actual). */
  viewDumps(node: string, view: View): Map<DumpKind, ParsedDump> | { unavailable: string } {
    if (view === 'expected') return this.expectedParsed(node);
    const parsed = this.actualParsed(node);
    if (parsed.size === 0) return { unavailable: `no dataplane dump has been collected for node ${node}` };
    return parsed;
  }

  graph(node: string, view: View): NodeGraph {
    const cache = this.cache(node);
    const cached = cache.graphs[view];
    if (cached) return cached;
    const settings = this.settings(node)?.settings;
    const mode = settings?.mode ?? 'iptables';
    const dumps = this.viewDumps(node, view);
    let result: NodeGraph;
    if (!settings) result = { mode, graph: null, unavailable: `unknown node ${node}` };
    else if (engine.isUnavailable(dumps)) result = { mode, graph: null, unavailable: dumps.unavailable };
    else {
      const g = guarded(`building the ${view} graph of ${node}`, () =>
        engine.buildGraph(settings, this.input.cluster, dumps),
      );
      result = engine.isUnavailable(g)
        ? { mode, graph: null, unavailable: g.unavailable }
        : { mode, graph: g };
    }
    cache.graphs[view] = result;
    return result;
  }

  /** Expected vs actual on a node; null when one of them cannot be built. */
  drift(node: string): DriftItem[] | null {
    const cache = this.cache(node);
    if (cache.drift !== undefined) return cache.drift;
    const expected = this.graph(node, 'expected').graph;
    const actual = this.graph(node, 'actual').graph;
    const expectedDumps = this.viewDumps(node, 'expected');
    const actualDumps = this.viewDumps(node, 'actual');
    cache.drift =
      expected && actual && !engine.isUnavailable(expectedDumps) && !engine.isUnavailable(actualDumps)
        ? guardedOr(null, () =>
            engine.diffNode({ dumps: expectedDumps, graph: expected }, { dumps: actualDumps, graph: actual }),
          )
        : null;
    return cache.drift;
  }

  /** A time limit for computing drift in one request (see DEFAULT_DRIFT_BUDGET_MS). */
  driftDeadline(): number {
    return performance.now() + this.driftBudgetMs;
  }

  /**
   * The node's drift if it is known or there is time left before `deadline` to compute it;
   * otherwise 'pending' and the node is queued for the background.
   */
  driftBy(node: string, deadline: number): DriftState {
    const cached = this.caches.get(node)?.drift;
    if (cached !== undefined) return { items: cached };
    if (this.small && performance.now() < deadline) return { items: this.drift(node) };
    this.queueDrift(node);
    return 'pending';
  }

  private queueDrift(node: string): void {
    this.driftQueue.add(node);
    this.driftTurn ??= setImmediate(() => this.driftNext());
  }

  private driftNext(): void {
    this.driftTurn = undefined;
    const [node] = this.driftQueue;
    if (node === undefined) return;
    this.driftQueue.delete(node);
    if (this.hasNode(node) && this.caches.get(node)?.drift === undefined) {
      const cache = this.cache(node);
      const had = { expected: cache.expectedParsed !== undefined, graphs: { ...cache.graphs } };
      this.drift(node);
      // What drift needed and nobody asked for is let go: on a large cluster a node's expected
      // rules and graphs take hundreds of MB, and there may be many nodes.
      if (!had.expected) {
        delete cache.expectedParsed;
        delete cache.expectedText;
      }
      cache.graphs = had.graphs;
      this.hub.publish({ type: 'nodes', name: node });
      this.hub.publish({ type: 'diagnostics' });
    }
    if (this.driftQueue.size > 0) this.driftTurn = setImmediate(() => this.driftNext());
  }

  /** Stops the background work (the server is closing). */
  stop(): void {
    if (this.driftTurn) clearImmediate(this.driftTurn);
    this.driftTurn = undefined;
    this.driftQueue.clear();
  }

  /**
   * Services whose rules drift on some node (`ns/name` → node names), from the drift computed so
   * far: listing Services must stay fast, so it does not generate every node's rules itself.
   */
  driftedServices(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [node, cache] of this.caches) {
      for (const item of cache.drift ?? []) {
        const slash = item.service.indexOf('/');
        if (slash < 0) continue;
        const colon = item.service.indexOf(':', slash);
        const key = colon < 0 ? item.service : item.service.slice(0, colon);
        const nodes = out.get(key) ?? [];
        if (!nodes.includes(node)) nodes.push(node);
        out.set(key, nodes);
      }
    }
    return out;
  }

  /** The graphs of one Service's ports (`ns/name:port` or `ns/name`). */
  serviceGraphs(graph: GraphResult, namespace: string, name: string): ServiceGraph[] {
    const prefix = serviceKey(namespace, name);
    return graph.services.filter((s) => s.service === prefix || s.service.startsWith(`${prefix}:`));
  }

  dumpInfo(dump: StoredDump): DumpInfoDto {
    const ageSeconds = Math.max(0, Math.round((this.now().getTime() - dump.collectedAt.getTime()) / 1000));
    return {
      kind: dump.kind,
      source: dump.source,
      collectedAt: dump.collectedAt.toISOString(),
      ageSeconds,
      bytes: dump.bytes,
      lines: dump.lines,
      // Uploaded and snapshot dumps are a fixed moment by choice; only live collectors age.
      stale: dump.stale || (isLiveSource(dump.source) && ageSeconds > this.staleAfterSeconds),
      issues: this.parsedDump(dump.node, dump.kind)?.issues.slice(0, 50) ?? [],
    };
  }

  nodeDto(name: string, deadline = this.driftDeadline()): NodeDto | null {
    const node = this.input.cluster.nodes.find((n) => n.metadata.name === name);
    const s = this.settings(name);
    if (!node || !s) return null;
    const dumps = this.dumps.forNode(name).map((d) => this.dumpInfo(d));
    const drift = dumps.length === 0 ? { items: null } : this.driftBy(name, deadline);
    const dto: NodeDto = {
      name,
      mode: s.settings.mode,
      modeSource: s.modeSource,
      ips: s.settings.nodeIPs,
      ready: nodeReady(node),
      dumps,
      drift: drift === 'pending' ? null : (drift.items?.length ?? null),
    };
    if (drift === 'pending') dto.driftPending = true;
    const zone = nodeZone(node);
    if (zone !== undefined) dto.zone = zone;
    return dto;
  }

  nodes(): NodeDto[] {
    const deadline = this.driftDeadline();
    return this.nodeNames().flatMap((n) => {
      const dto = this.nodeDto(n, deadline);
      return dto ? [dto] : [];
    });
  }
}

const isLiveSource = (source: string): boolean =>
  source === 'agent' || source === 'exec' || source === 'local';

/**
 * Core is pure and tested, but a cluster or a dump may hold what it never met: one node's failure
 * becomes that node's "unavailable" explanation instead of failing every request.
 */
function guarded<T>(what: string, f: () => T | { unavailable: string }): T | { unavailable: string } {
  try {
    return f();
  } catch (err) {
    return { unavailable: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function guardedOr<T, U>(fallback: U, f: () => T): T | U {
  try {
    return f();
  } catch {
    return fallback;
  }
}
