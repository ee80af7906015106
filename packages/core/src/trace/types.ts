export type L4Protocol = 'tcp' | 'udp' | 'sctp';

/** The packet to trace: the first packet of a new connection from a new client. */
export interface TracePacket {
  src: string;
  dst: string;
  dport: number;
  proto: L4Protocol;
  /** Source port; only matters for matches on it (defaults to an ephemeral port). */
  sport?: number;
  /** Interface the packet arrives on (PREROUTING path); unknown when absent. */
  inInterface?: string;
  /** Interface the packet leaves by; unknown when absent. */
  outInterface?: string;
}

/** The node the packet is traced on. */
export interface TraceNode {
  /** Addresses local to the node (its IPs; 127.0.0.1 and ::1 are always local). */
  localAddresses: string[];
}

export type Verdict = 'ACCEPT' | 'DROP' | 'REJECT';

/** One rule that matched, in evaluation order (`rule` null for a builtin chain's policy). */
export interface TraceStep {
  /** `nat`, `filter`, … for iptables; `ip kube-proxy` style `family table` for nftables; `ipvs` for IPVS. */
  table: string;
  chain: string;
  rule: number | null;
  /** The rule exactly as in the dump. */
  text: string;
  /** What the rule did: `jump KUBE-SVC-…`, `goto …`, `return`, `DNAT 10.1.2.3:80`, `MARK`, `ACCEPT`, `policy ACCEPT`, `statistic taken (p=0.5)`, … */
  action: string;
  /** The netfilter hook the chain was entered from (PREROUTING, OUTPUT, …), when known. */
  hook?: string;
  /** 1-based line in the dump, when known. */
  line?: number;
}

/** A match the tracer could not decide; the trace explores both answers and says which it assumed. */
export interface TraceAssumption {
  table: string;
  chain: string;
  rule: number;
  text: string;
  /** What could not be decided, e.g. `-m set --match-set FOO src (no ipset dump)`. */
  match: string;
  assumed: 'matched' | 'not matched';
}

export interface TraceOutcome {
  /** Probability of this outcome; unknown matches count as an even split (see `assumptions`). */
  probability: number;
  verdict: Verdict;
  /** Final destination `IP:PORT` (`[IPv6]:PORT`) after DNAT or IPVS, or null when not rewritten. */
  dnat: string | null;
  masquerade: boolean;
  path: TraceStep[];
  /** Undecidable matches this outcome depends on; empty when the outcome is certain. */
  assumptions: TraceAssumption[];
  /** When session affinity will pin this client's later connections to the same endpoint. */
  affinity: { timeoutSeconds: number; key: string } | null;
  /** Extra words for people: why it was dropped, what was not modelled, … */
  notes: string[];
}

export interface TraceResult {
  packet: TracePacket & { startHook: 'PREROUTING' | 'OUTPUT' };
  outcomes: TraceOutcome[];
  /** Problems with the ruleset or the packet (e.g. kube-proxy's hook jumps assumed). */
  warnings: string[];
}
