// Every packet flow of kube-proxy's nftables tests, traced over the ruleset svcpath generates.
import { afterAll, describe, it } from 'vitest';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { checkFlow } from '../conformance/flow-check.test-helpers.js';
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
          it(f.name, () =>
            checkFlow(f, (packet) => traceNftables(rs, packet, { localAddresses: step.nodeIPs }), tally),
          );
        }
      });
    }
  }
  afterAll(() => {
    console.log(`nftables conformance (flows): ${tally.passed} passed, ${tally.failed} failed`);
  });
});
