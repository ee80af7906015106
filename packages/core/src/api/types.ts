/**
 * The HTTP API's data shapes (`/api/...`), shared by the server (which validates them with
 * schemas) and the web app (which reads them). Routes are listed in DESIGN.md.
 */
import type { GraphResult } from '../graph/types.js';
import type { ProxyMode } from '../model/types.js';
import type { TracePacket, TraceResult } from '../trace/types.js';
import type { ParseIssue } from '../common/issues.js';

export type ResourceState = 'syncing' | 'ready' | 'stale' | 'forbidden' | 'error';

/** GET /api/status */
export interface SourceStatusDto {
  kind: 'demo' | 'kube' | 'snapshot';
  /** Context name, snapshot directory, or `built-in demo cluster`. */
  name: string;
  state: 'syncing' | 'ready' | 'degraded' | 'error';
  resources: Record<string, { state: ResourceState; message?: string; lastSyncedAt?: string; count: number }>;
  collectors: Array<{ name: string; state: ResourceState; message?: string }>;
  /** Server time, so the web can show ages without trusting the browser clock. */
  now: string;
}

export type DumpKind = 'iptables' | 'ip6tables' | 'nft' | 'ipvs' | 'ipset';

export interface DumpInfoDto {
  kind: DumpKind;
  /** Where it came from: `agent`, `exec`, `upload`, `local`, `demo`, `snapshot`. */
  source: string;
  collectedAt: string;
  ageSeconds: number;
  bytes: number;
  lines: number;
  stale: boolean;
  /** Errors and warnings from parsing it. */
  issues: ParseIssue[];
}

/** GET /api/nodes → { items: NodeDto[] } */
export interface NodeDto {
  name: string;
  mode: ProxyMode;
  /** Where the mode came from: `kube-proxy config`, `dump`, `default`, … */
  modeSource: string;
  ips: string[];
  zone?: string;
  ready: boolean;
  dumps: DumpInfoDto[];
  /** Number of drift findings between expected and actual, null when there is no dump. */
  drift: number | null;
  /** Drift is being computed in the background (large clusters); a `nodes` event follows. */
  driftPending?: boolean;
}

export interface ServicePortDto {
  name: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort: number | string | null;
  nodePort: number | null;
  appProtocol?: string;
}

/** GET /api/services → { items: ServiceSummaryDto[], total, offset, limit } */
export interface ServiceSummaryDto {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  headless: boolean;
  clusterIP: string | null;
  clusterIPs: string[];
  externalIPs: string[];
  loadBalancerIPs: string[];
  externalName?: string;
  ports: ServicePortDto[];
  endpoints: { ready: number; total: number };
  sessionAffinity: 'None' | 'ClientIP';
  externalTrafficPolicy: 'Cluster' | 'Local' | null;
  internalTrafficPolicy: 'Cluster' | 'Local';
  /** `ok`, `warning` (some endpoints not ready, drift) or `error` (no ready endpoints). */
  health: 'ok' | 'warning' | 'error';
  healthReasons: string[];
}

export interface ServiceListDto {
  items: ServiceSummaryDto[];
  total: number;
  offset: number;
  limit: number;
  namespaces: string[];
}

/** GET /api/pods → PodListDto: any pod, as a trace's source (not only pods behind a Service). */
export interface PodDto {
  namespace: string;
  name: string;
  /** The node it is scheduled on; null while pending. */
  node: string | null;
  /** In the API's order (the primary family first); a hostNetwork pod has its node's IPs. */
  podIPs: string[];
  hostNetwork: boolean;
  /** `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`; null when the status has none. */
  phase: string | null;
  /** Its `Ready` condition is True. */
  ready: boolean;
  labels: Record<string, string>;
}

export interface PodListDto {
  /** Sorted by namespace, then name. */
  items: PodDto[];
  total: number;
  offset: number;
  limit: number;
}

export interface EndpointDto {
  address: string;
  port: number | null;
  portName: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName: string | null;
  zone: string | null;
  pod: string | null;
}

export interface DnsRecordDto {
  type: 'A' | 'AAAA' | 'SRV' | 'CNAME';
  name: string;
  value: string;
}

export interface FindingDto {
  severity: 'error' | 'warning' | 'info';
  /** Stable code, e.g. `no-endpoints`, `drift-missing-endpoint`, `stale-dump`. */
  code: string;
  message: string;
  node?: string;
  service?: string;
  /** The web route that explains it, e.g. `/services/default/web?node=n1`. */
  link?: string;
}

/** GET /api/services/:namespace/:name */
export interface ServiceDetailDto {
  summary: ServiceSummaryDto;
  /** A plain-words description of the spec. */
  description: string[];
  endpoints: EndpointDto[];
  dns: DnsRecordDto[];
  env: Array<{ name: string; value: string }>;
  findings: FindingDto[];
}

/** GET /api/services/:namespace/:name/graph?node=&view= */
export interface ServiceGraphDto extends GraphResult {
  node: string;
  view: 'actual' | 'expected';
  mode: ProxyMode;
  /** Present when view=actual and the node has no usable dump. */
  unavailable?: string;
  /** Drift against the other view, per service port, when both exist. */
  drift?: Array<{ service: string; message: string }>;
  /** The drift is being computed in the background (large clusters); ask again shortly. */
  driftPending?: boolean;
}

/** POST /api/trace */
export interface TraceRequestDto extends Omit<TracePacket, 'proto'> {
  node: string;
  proto?: TracePacket['proto'];
  view?: 'actual' | 'expected';
}

export interface TraceResponseDto extends TraceResult {
  node: string;
  view: 'actual' | 'expected';
  mode: ProxyMode;
}

/** GET /api/nodes/:node/dumps/:kind/parsed — a browsable ruleset. */
export interface ParsedDumpDto {
  node: string;
  kind: DumpKind;
  info: DumpInfoDto;
  tables: Array<{
    name: string;
    chains: Array<{
      name: string;
      policy: string | null;
      hook?: string;
      rules: Array<{
        index: number;
        line: number;
        text: string;
        target: string | null;
        packets?: number;
        bytes?: number;
      }>;
    }>;
  }>;
}

/** GET /api/diagnostics */
export interface DiagnosticsDto {
  findings: FindingDto[];
  generatedAt: string;
}

/** PUT /api/nodes/:node/dumps/:kind errors */
export interface DumpErrorDto {
  error: string;
  line: number | null;
}

/** Events on GET /api/events (SSE `event:` names and their `data:`). */
export type ChangeEventDto =
  | { type: 'services'; namespace: string; name: string }
  | { type: 'nodes'; name: string }
  | { type: 'dump'; node: string; kind: DumpKind }
  | { type: 'status' }
  | { type: 'diagnostics' };
