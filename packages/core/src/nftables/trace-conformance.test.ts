// Every packet flow of kube-proxy's nftables tests, traced over the ruleset svcpath generates.
import { afterAll, describe, expect, it } from 'vitest';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { parseFlowOutput, summarizeFlow } from '../trace/flow-summary.js';
import type { L4Protocol } from '../trace/types.js';
import { nftCaseSteps } from './conformance.test-helpers.js';
import { parseNftText } from './parse-text.js';
import { traceNftables } from './trace.js';

const cases = loadConformanceCases('nft_');
const tally = { passed: 0, failed: 0 };

describe.skipIf(!cases)('nftables conformance (flows)', () => {
  for (const c of cases ?? []) {
    for (const step of nftCaseSteps(c)) {
      if (step.flows.length === 0) continue;
      describe(step.label, () => {
        const rs = parseNftText(step.transaction);
        for (const f of step.flows) {
          it(f.name, () => {
            let ok = false;
            try {
              const r = traceNftables(
                rs,
                {
                  src: f.sourceIP,
                  dst: f.destIP,
                  dport: f.destPort,
                  proto: f.protocol.toLowerCase() as L4Protocol,
                },
                { localAddresses: step.nodeIPs },
              );
              expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
              const got = summarizeFlow(r);
              const detail = JSON.stringify(
                r.outcomes.map((o) => [
                  o.verdict,
                  o.dnat,
                  o.masquerade,
                  o.path.map((s) => `${s.chain}#${s.rule}:${s.action}`),
                ]),
                null,
                1,
              );
              expect(got.output, detail).toEqual(parseFlowOutput(f.output));
              if (got.output.some((x) => x.includes(':')))
                expect(got.masq, `masquerade ${detail}`).toBe(f.masq);
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
    console.log(`nftables conformance (flows): ${tally.passed} passed, ${tally.failed} failed`);
  });
});
