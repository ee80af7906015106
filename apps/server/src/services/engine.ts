// The one place the server calls @svcpath/core's proxy logic: parsing dumps, generating the
// expected dataplane, building graphs, tracing, diffing and discovery. Everything here is a thin
// call into core; the server itself knows nothing of kube-proxy's rules.
import type {
  ClusterState,
  DumpKind,
  GraphResult,
  IptablesRuleset,
  ParseIssue,
  ProxyMode,
  ProxySettings,
  Service,
  TracePacket,
  TraceResult,
} from '@svcpath/core';

/** A dump parsed by core; `value` is null when core has no parser for the kind (yet). */
export type ParsedValue = { kind: 'iptables'; ruleset: IptablesRuleset } | { kind: 'opaque'; value: unknown };

export interface ParsedDump {
  kind: DumpKind;
  value: ParsedValue | null;
  issues: ParseIssue[];
}

/** The node's dataplane as the cluster says it should be: dump texts by kind. */
export type ExpectedDumps = Partial<Record<DumpKind, string>>;

export interface DriftItem {
  service: string;
  message: string;
  /** `missing-endpoint`, `stale-endpoint`, `missing-service`, `probability`, `unexplained`, … */
  code: string;
}

export interface EngineUnavailable {
  unavailable: string;
}

export const isUnavailable = (v: unknown): v is EngineUnavailable =>
  typeof v === 'object' && v !== null && 'unavailable' in v;

export function parseDump(kind: DumpKind, text: string): ParsedDump {
  void text;
  return { kind, value: null, issues: [] };
}

/** The first error that makes a dump unusable (an upload of it is refused with 422). */
export function fatalIssue(parsed: ParsedDump): ParseIssue | null {
  return parsed.issues.find((i) => i.severity === 'error') ?? null;
}

export function generateExpected(
  cluster: ClusterState,
  settings: ProxySettings,
): ExpectedDumps | EngineUnavailable {
  void cluster;
  return { unavailable: `the ${settings.mode} generator is not available in this build` };
}

/** Graph of the whole node from its parsed dumps (actual or expected, same code). */
export function buildGraph(
  mode: ProxyMode,
  dumps: ReadonlyMap<DumpKind, ParsedDump>,
): GraphResult | EngineUnavailable {
  void dumps;
  return { unavailable: `graphs for ${mode} mode are not available in this build` };
}

export function trace(
  mode: ProxyMode,
  dumps: ReadonlyMap<DumpKind, ParsedDump>,
  packet: TracePacket,
  localAddresses: string[],
): TraceResult | EngineUnavailable {
  void dumps;
  void packet;
  void localAddresses;
  return { unavailable: `tracing in ${mode} mode is not available in this build` };
}

export function diffGraphs(expected: GraphResult, actual: GraphResult): DriftItem[] {
  void expected;
  void actual;
  return [];
}

/** Which mode a set of dumps shows, or null when they do not tell. */
export function detectMode(dumps: ReadonlyMap<DumpKind, ParsedDump>): ProxyMode | null {
  void dumps;
  return null;
}

export interface Discovery {
  dns: Array<{ type: 'A' | 'AAAA' | 'SRV' | 'CNAME'; name: string; value: string }>;
  env: Array<{ name: string; value: string }>;
}

export function discovery(service: Service, cluster: ClusterState, clusterDomain: string): Discovery {
  void service;
  void cluster;
  void clusterDomain;
  return { dns: [], env: [] };
}
