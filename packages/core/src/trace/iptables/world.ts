import type { IpValue } from '../../common/ip.js';
import type { L4Protocol, TraceAssumption, TraceStep } from '../types.js';

/**
 * One possible history of the packet: the tracer forks a world at every random choice
 * (`statistic`) and at every match it cannot decide, and each fork carries its probability.
 */
export interface World {
  probability: number;
  src: string;
  srcIp: IpValue | null;
  dst: string;
  dstIp: IpValue | null;
  dport: number;
  sport: number;
  proto: L4Protocol;
  inInterface: string | undefined;
  outInterface: string | undefined;
  /** The packet mark (`-j MARK`, `-m mark`). */
  mark: number;
  /** The connection mark (`-j CONNMARK`, `-m connmark`): 0 for a new connection. */
  connmark: number;
  /** Conntrack's view: was the connection DNATed / SNATed, by which rule. */
  dnat: string | null;
  snat: boolean;
  masquerade: boolean;
  path: TraceStep[];
  assumptions: TraceAssumption[];
  notes: string[];
  /** Recent-module lists a `--rcheck --seconds` looked at (name → seconds), for the affinity note. */
  recentSeconds: Map<string, number>;
  affinity: { timeoutSeconds: number; key: string } | null;
  /** The hook being walked (PREROUTING, OUTPUT, …). */
  hook: string;
}

export function forkWorld(w: World, probability: number): World {
  return {
    ...w,
    probability,
    path: [...w.path],
    assumptions: [...w.assumptions],
    notes: [...w.notes],
    recentSeconds: new Map(w.recentSeconds),
  };
}
