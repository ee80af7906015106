import type { ParseIssue } from '../common/issues.js';
import type { L4Protocol } from '../trace/types.js';

/** How IPVS forwards to a real server: `-m` Masq (NAT), `-g` Route (direct routing), `-i` Tunnel (IPIP); `Local` when the real server is an address of the node. */
export type ForwardingMethod = 'Masq' | 'Route' | 'Tunnel' | 'Local';

/** Totals as `ipvsadm -Ln --stats` prints them (K/M/G suffixes expanded, so approximate). */
export interface IpvsStats {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

/** Rates as `ipvsadm -Ln --rate` prints them. */
export interface IpvsRates {
  cps: number;
  inPps: number;
  outPps: number;
  inBps: number;
  outBps: number;
}

export interface RealServer {
  /** Canonical address (`10.244.1.5`, `fd00::5`). */
  address: string;
  port: number;
  forwarding: ForwardingMethod;
  /** 0 means quiesced: kept for existing connections, never chosen for new ones. */
  weight: number;
  /** Null when the dump does not show connection counts (`ipvsadm -S`, `--stats`, `--rate`). */
  activeConns: number | null;
  inactConns: number | null;
  stats: IpvsStats | null;
  rates: IpvsRates | null;
  /** `-x` / `-y` connection thresholds (0 = none), when the dump shows them. */
  upperThreshold?: number;
  lowerThreshold?: number;
  /** 1-based line in the dump, null for generated state. */
  line: number | null;
  /** The line exactly as in the dump. */
  text: string;
}

export interface VirtualService {
  /** null for a firewall-mark service. */
  protocol: L4Protocol | null;
  /** Canonical address, null for a firewall-mark service. */
  address: string | null;
  /** 0 for an all-ports (port-zero) persistent service, null for a firewall-mark service. */
  port: number | null;
  fwmark: number | null;
  family: 4 | 6;
  scheduler: string;
  /** Scheduler flags by name: `sh-fallback`, `sh-port`, `mh-fallback`, `mh-port`, `flag-1`…`flag-3`. */
  schedulerFlags: string[];
  /** Persistence (session affinity) timeout in seconds; null when not persistent. */
  persistenceTimeout: number | null;
  /** Persistence granularity: a dotted mask (IPv4) or a prefix length (IPv6); null = one client address. */
  netmask: string | null;
  /** One-packet scheduling (`-o`, `ops`). */
  onePacket: boolean;
  /** Persistence engine (`--pe sip`), null when none. */
  persistenceEngine: string | null;
  /**
   * Real servers in the order the dump lists them. ipvsadm sorts them by address and port unless
   * run with `--nosort`, so this is not necessarily the kernel's internal order (newest first),
   * which hash table filling and least-connection ties depend on.
   */
  realServers: RealServer[];
  stats: IpvsStats | null;
  rates: IpvsRates | null;
  line: number | null;
  text: string;
}

/** Which command printed the dump. */
export type IpvsDumpFormat = 'save' | 'list' | 'stats' | 'rate' | 'empty';

export interface IpvsState {
  kind: 'ipvs';
  format: IpvsDumpFormat;
  /** `IP Virtual Server version 1.2.1 (size=4096)`: version and connection table size, when shown. */
  version: string | null;
  connectionTableSize: number | null;
  services: VirtualService[];
  issues: ParseIssue[];
}

/** Types of ipset kube-proxy and common CNIs use; others are kept with `matchable: false`. */
export type IpsetType =
  | 'hash:ip'
  | 'hash:ip,port'
  | 'hash:ip,port,ip'
  | 'hash:ip,port,net'
  | 'hash:net'
  | 'hash:net,port'
  | 'bitmap:port'
  | string;

/** One member, split into its dimensions: `10.96.0.1,tcp:443` → ip 10.96.0.1, proto tcp, port 443. */
export interface IpsetEntry {
  /** The member text as in the dump. */
  text: string;
  /** Each comma-separated part of the member. */
  parts: string[];
  timeout: number | null;
  comment: string | null;
  nomatch: boolean;
  line: number | null;
}

export interface IpsetSet {
  name: string;
  type: IpsetType;
  family: 4 | 6 | null;
  /** Header options (`family inet hashsize 1024 maxelem 65536`, `range 0-65535`), as name → value. */
  options: Record<string, string>;
  entries: IpsetEntry[];
  line: number | null;
}

export interface IpsetState {
  kind: 'ipset';
  format: 'save' | 'list' | 'empty';
  sets: Map<string, IpsetSet>;
  issues: ParseIssue[];
}
