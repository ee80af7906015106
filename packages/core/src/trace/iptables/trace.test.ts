import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptables } from '../../iptables/parse.js';
import { sharedPath } from '../../common/shared-folder.test-helpers.js';
import { parseFlowOutput, summarizeFlow } from '../flow-summary.js';
import { traceIptables } from './trace.js';
import type { L4Protocol } from '../types.js';

interface Flow {
  name: string;
  sourceIP: string;
  destIP: string;
  destPort: number;
  protocol: string;
  output: string;
  masq: boolean;
}

const conformance = sharedPath('conformance');

describe.skipIf(!conformance)('kube-proxy TestTracePacket fixture', () => {
  const c = JSON.parse(readFileSync(join(conformance ?? '', 'ipt_TestTracePacket.json'), 'utf8')) as {
    inputIptablesSave: string;
    nodeIPs: string[];
    flows: Flow[];
  };
  const rs = parseIptables(c.inputIptablesSave);
  for (const f of c.flows) {
    it(f.name, () => {
      const r = traceIptables(
        rs,
        { src: f.sourceIP, dst: f.destIP, dport: f.destPort, proto: f.protocol.toLowerCase() as L4Protocol },
        { localAddresses: c.nodeIPs },
      );
      const total = r.outcomes.reduce((s, o) => s + o.probability, 0);
      expect(total).toBeCloseTo(1, 9);
      const got = summarizeFlow(r);
      expect(got.output).toEqual(parseFlowOutput(f.output));
      if (got.output.some((x) => x.includes(':'))) expect(got.masq).toBe(f.masq);
    });
  }
});
