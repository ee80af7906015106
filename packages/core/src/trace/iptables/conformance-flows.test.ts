// Every packet flow of kube-proxy's iptables tests, traced over the ruleset svcpath generates.
import { afterAll, describe, expect, it } from 'vitest';
import { generatedRulesetForCase } from '../../conformance/inputs.js';
import { loadConformanceCases } from '../../conformance/load.test-helpers.js';
import type { ConformanceCase, ConformanceFlow } from '../../conformance/types.js';
import { parseIptables } from '../../iptables/parse.js';
import { parseFlowOutput, summarizeFlow } from '../flow-summary.js';
import type { L4Protocol } from '../types.js';
import { traceIptables } from './trace.js';

const cases = loadConformanceCases('ipt_');
const tally = { passed: 0, failed: 0 };

function flowSets(
  c: ConformanceCase,
): Array<{ label: string; phase: number | undefined; flows: ConformanceFlow[] }> {
  const sets: Array<{ label: string; phase: number | undefined; flows: ConformanceFlow[] }> = [];
  if (c.flows?.length) sets.push({ label: 'initial', phase: undefined, flows: c.flows });
  (c.phases ?? []).forEach((p, i) => {
    if (p.flows?.length) sets.push({ label: `phase ${i + 1}: ${p.description}`, phase: i, flows: p.flows });
  });
  return sets;
}

describe.skipIf(!cases)('iptables conformance (flows)', () => {
  for (const c of cases ?? []) {
    for (const set of flowSets(c)) {
      describe(`${c.id} ${set.label}`, () => {
        // TestTracePacket gives its rules; every other case is traced over svcpath's own generation.
        const text = c.inputIptablesSave ?? generatedRulesetForCase(c, set.phase, { format: 'save' }).text;
        const rs = parseIptables(text);
        for (const f of set.flows) {
          it(f.name, () => {
            let ok = false;
            try {
              const r = traceIptables(
                rs,
                {
                  src: f.sourceIP,
                  dst: f.destIP,
                  dport: f.destPort,
                  proto: f.protocol.toLowerCase() as L4Protocol,
                },
                { localAddresses: c.nodeIPs },
              );
              expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
              const got = summarizeFlow(r);
              expect(
                got.output,
                JSON.stringify(
                  r.outcomes.map((o) => [
                    o.verdict,
                    o.dnat,
                    o.path.map((s) => `${s.table}/${s.chain}#${s.rule}:${s.action}`),
                  ]),
                  null,
                  1,
                ),
              ).toEqual(parseFlowOutput(f.output));
              if (got.output.some((x) => x.includes(':'))) expect(got.masq, 'masquerade').toBe(f.masq);
              ok = true;
            } finally {
              tally[ok ? 'passed' : 'failed']++;
            }
          });
        }
      });
    }
  }
  afterAll(() => {
    console.log(`iptables conformance (flows): ${tally.passed} passed, ${tally.failed} failed`);
  });
});
