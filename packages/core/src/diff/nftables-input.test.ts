import { describe, expect, it } from 'vitest';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { caseInputs } from '../conformance/inputs.js';
import { generateNftables } from '../nftables/generate.js';
import { parseNftText } from '../nftables/parse-text.js';
import { diffDataplanes } from './diff.js';
import { nftDriftInput } from './nftables-input.js';

const cases = loadConformanceCases('nft_TestOverallNFTablesRules');

describe.skipIf(!cases?.length)('nftables drift', () => {
  const c = cases?.[0];
  const inputs = c ? caseInputs(c) : null;
  const gen = (services = inputs?.services ?? [], format: 'transaction' | 'ruleset' = 'transaction') =>
    parseNftText(
      generateNftables({ services, endpointSlices: inputs?.endpointSlices ?? [] }, inputs!.settings, {
        family: 4,
        format,
      }).text,
    );

  it("finds nothing between kube-proxy's transaction and the same table as nft lists it", () => {
    const report = diffDataplanes(nftDriftInput(gen()), nftDriftInput(gen(undefined, 'ruleset')));
    expect(report.services).toEqual([]);
    expect(report.chains).toEqual([]);
  });

  it('names the chains and map elements of a Service the node does not have', () => {
    const expected = gen();
    const actual = gen(inputs!.services.slice(1));
    const report = diffDataplanes(nftDriftInput(expected), nftDriftInput(actual));
    const changed = report.chains;
    expect(changed.some((ch) => ch.status === 'missing' && ch.chain.startsWith('service-'))).toBe(true);
    expect(changed.some((ch) => ch.chain === 'map service-ips')).toBe(true);
  });
});
