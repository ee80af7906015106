// One packet flow of kube-proxy's tests checked against a tracer's answer: the same check for the
// iptables and nftables runners, each counting into its own tally.
import { expect } from 'vitest';
import { parseFlowOutput, summarizeFlow } from '../trace/flow-summary.js';
import type { L4Protocol, TracePacket, TraceResult } from '../trace/types.js';
import type { ConformanceFlow } from './types.js';

export interface FlowTally {
  passed: number;
  failed: number;
}

export function checkFlow(
  f: ConformanceFlow,
  trace: (packet: TracePacket) => TraceResult,
  tally: FlowTally,
): void {
  let ok = false;
  try {
    const r = trace({
      src: f.sourceIP,
      dst: f.destIP,
      dport: f.destPort,
      proto: f.protocol.toLowerCase() as L4Protocol,
    });
    expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
    const got = summarizeFlow(r);
    // On failure, every outcome's walk, to see where the tracer went another way.
    const detail = JSON.stringify(
      r.outcomes.map((o) => [
        o.verdict,
        o.dnat,
        o.masquerade,
        o.path.map((s) => `${s.table}/${s.chain}#${s.rule}:${s.action}`),
      ]),
      null,
      1,
    );
    expect(got.output, detail).toEqual(parseFlowOutput(f.output));
    if (got.output.some((x) => x.includes(':'))) expect(got.masq, `masquerade ${detail}`).toBe(f.masq);
    ok = true;
  } finally {
    tally[ok ? 'passed' : 'failed']++;
  }
}
