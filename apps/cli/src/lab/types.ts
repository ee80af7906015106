/** What `svcpath lab` is asked to do. */
export interface LabOptions {
  /** Proxy mode whose generated rules are loaded (only iptables is available today). */
  mode?: 'iptables' | 'nftables';
  /** New connections per probe target (default 300, at most 1000). */
  connections?: number;
  /** Per-connection timeout in milliseconds (default 1000); no answer by then counts as dropped. */
  timeoutMs?: number;
  /** Cluster objects as `kubectl get … -o json` prints them; the built-in scenario when absent. */
  clusterFile?: string;
  /** The node whose rules are loaded (required with `clusterFile`). */
  node?: string;
  /** Cluster CIDR for kube-proxy's local-traffic detector (built-in scenario: 10.244.0.0/16). */
  clusterCIDR?: string;
  /**
   * Also trace one connection per target in the kernel (raw-table TRACE rule, `xtables-monitor
   * --trace`) and compare its path rule by rule with the tracer's (default true; iptables mode
   * with the nf_tables backend only).
   */
  kernelTrace?: boolean;
  /** Progress lines for people watching (stderr in the CLI). */
  log?: (line: string) => void;
  /**
   * Changes the rules loaded into the kernel but not the ones traced (for tests: shows the lab
   * notices when the kernel and the tracer disagree). Receives and returns the text for
   * `iptables-restore` (or `nft -f`).
   */
  alterLoadedRules?: (text: string) => string;
  /** The machine facts checked before anything is created (default: this machine; for tests). */
  host?: LabHost;
}

/** What decides whether the lab can run here. */
export interface LabHost {
  platform: string;
  uid: number | null;
  /** Whether `cmd args…` runs and exits 0. */
  runs: (cmd: string, args: readonly string[]) => boolean;
}

/** Where connections start: the off-node client, the node itself, or a pod on the node. */
export type LabOrigin = 'client' | 'node' | 'pod';
export type LabEntry = 'clusterIP' | 'nodePort' | 'externalIP' | 'loadBalancer';

/** One comparison between the kernel and the tracer. */
export interface LabCheck {
  name: 'endpoints' | 'shares' | 'masquerade' | 'verdict' | 'affinity' | 'path';
  ok: boolean;
  detail: string;
}

/**
 * One way a connection can end: an endpoint `IP:PORT` answered, or it was `refused` (REJECT or
 * nothing listening) or it `timeout`-ed (DROP), or some other `error`.
 */
export interface LabOutcomeRow {
  key: string;
  /** Probability the tracer gives this outcome. */
  predicted: number;
  /** Connections that ended this way. */
  observed: number;
  /** Largest |observed − predicted·N| the binomial tolerance allows. */
  tolerance: number;
  ok: boolean;
}

/** One Service port reached one way (an entry address, from one origin). */
export interface LabTargetResult {
  /** `ns/name:port` as kube-proxy names the service port. */
  service: string;
  protocol: 'TCP' | 'UDP';
  entry: LabEntry;
  origin: LabOrigin;
  src: string;
  dst: string;
  dport: number;
  /** Connections compared (for affinity targets: first connections of distinct clients). */
  connections: number;
  /** ClientIP affinity: each client connects twice, the second must reach the first's endpoint. */
  affinity: boolean;
  outcomes: LabOutcomeRow[];
  checks: LabCheck[];
  /** Tracer warnings and undecided matches for this packet. */
  notes: string[];
  /** The kernel's path of one traced connection (`table -A CHAIN …` or `table CHAIN policy V`). */
  kernelPath?: string[];
  ok: boolean;
}

export interface LabReport {
  status: 'passed' | 'failed' | 'skipped';
  /** Why the lab was skipped or could not finish. */
  reason?: string;
  mode: 'iptables' | 'nftables';
  scenario: string;
  node: string;
  connectionsPerTarget: number;
  targets: LabTargetResult[];
  /** The network namespaces the run created (all deleted before `runLab` returns). */
  namespaces: string[];
  /** What the lab did not cover and why, and warnings from generation. */
  notes: string[];
  durationMs: number;
}
