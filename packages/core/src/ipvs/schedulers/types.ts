import type { RealServer } from '../types.js';

/** What a scheduler may look at: the client's address and port, and the destination (for dh). */
export interface SchedulePacket {
  src: string;
  dst?: string;
  sport?: number;
  dport?: number;
}

export interface ScheduleOptions {
  /**
   * Size of the mh (Maglev) lookup table: a prime from the kernel's list (251, 509, 1021, 2039,
   * 4093, …), chosen by CONFIG_IP_VS_MH_TAB_INDEX. The kernel default index 12 gives 4093.
   */
  mhTableSize?: number;
  /**
   * mh builds its table from each server's last non-zero weight, so a quiesced (weight 0) server
   * keeps its slots. A dump does not show that weight: key `IP:PORT` → weight, default 1 (kube-proxy's).
   */
  lastWeights?: Record<string, number>;
}

export interface ScheduleChoice {
  server: RealServer;
  probability: number;
}

export interface ScheduleResult {
  /** Servers that can be chosen and how likely each is. Probabilities sum to less than 1 when some connections find no server (they fail). Empty: no server available. */
  choices: ScheduleChoice[];
  explanation: string;
  /** true when the result is the one server this packet gets (hash schedulers, or the next pick of a least-connection scheduler for the counts in the dump). */
  deterministic: boolean;
}

/** A scheduler's view of the virtual service. */
export interface ScheduledService {
  scheduler: string;
  schedulerFlags: string[];
  realServers: RealServer[];
}
