// Every packet flow of kube-proxy's iptables tests, traced over the ruleset svcpath generates.
import { afterAll, describe, it } from 'vitest';
import { checkFlow } from '../../conformance/flow-check.test-helpers.js';
import { generatedRulesetForCase } from '../../conformance/inputs.js';
import { loadConformanceCases } from '../../conformance/load.test-helpers.js';
import type { ConformanceCase, ConformanceFlow } from '../../conformance/types.js';
import { parseIptables } from '../../iptables/parse.js';
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
          it(f.name, () =>
            checkFlow(f, (packet) => traceIptables(rs, packet, { localAddresses: c.nodeIPs }), tally),
          );
        }
      });
    }
  }
  afterAll(() => {
    console.log(`iptables conformance (flows): ${tally.passed} passed, ${tally.failed} failed`);
  });
});
