// Runs svcpath's nftables generator over the shared kube-proxy cases (tests only).
import { caseInputs } from '../conformance/inputs.js';
import type { ConformanceCase, ConformanceFlow, ConformanceVariant } from '../conformance/types.js';
import { generateNftables, normalizeSingleEndpointDnat, sortNftTransaction } from './generate.js';

export interface NftCaseStep {
  /** `case`, `case phase N`, or `case variant X`. */
  label: string;
  expectedSorted: string | null;
  transaction: string;
  flows: ConformanceFlow[];
  variant?: ConformanceVariant;
  family: 4 | 6;
  nodeIPs: string[];
}

const chainNames = (tx: string): string[] =>
  tx
    .split('\n')
    .filter((l) => l.startsWith('add chain '))
    .map((l) => l.split(' ')[4] ?? '');

/**
 * Every generation step of a case: the case itself, each phase (full dumps, with kube-proxy's
 * stale-chain handling simulated from the phase descriptions) and each variant.
 */
export function nftCaseSteps(c: ConformanceCase): NftCaseStep[] {
  const steps: NftCaseStep[] = [];
  const first = caseInputs(c);
  const gen0 = generateNftables(first, first.settings, { family: first.family, format: 'transaction' });
  steps.push({
    label: c.id,
    expectedSorted: c.expectedNft ? (c.expectedNftSorted ?? null) : null,
    transaction: gen0.text,
    flows: c.flows ?? [],
    family: first.family,
    nodeIPs: c.nodeIPs,
  });
  const staticChains = new Set(
    chainNames(gen0.text).filter((n) => !/^(service|local|external|firewall|endpoint)-/.test(n)),
  );
  let prevChains = chainNames(gen0.text).filter((n) => !staticChains.has(n));
  let stale: string[] = [];
  (c.phases ?? []).forEach((p, i) => {
    const inputs = caseInputs(c, i);
    const fresh = generateNftables(inputs, inputs.settings, { family: inputs.family, format: 'transaction' });
    const current = new Set(chainNames(fresh.text));
    // "pretend >1s passed" / "age": chains stale since an earlier sync are deleted now.
    const aged = /age|>1s/i.test(p.description);
    const candidates = [...prevChains, ...(aged ? [] : stale)];
    stale = [...new Set(candidates.filter((n) => !current.has(n)))];
    const gen = generateNftables(inputs, inputs.settings, {
      family: inputs.family,
      format: 'transaction',
      staleChains: stale,
    });
    prevChains = chainNames(fresh.text).filter((n) => !staticChains.has(n));
    steps.push({
      label: `${c.id} phase ${i + 1}`,
      expectedSorted: p.expectedNft ? (p.expectedNftSorted ?? null) : null,
      transaction: gen.text,
      flows: p.flows ?? [],
      family: inputs.family,
      nodeIPs: c.nodeIPs,
    });
  });
  for (const v of c.variants ?? []) {
    const inputs = caseInputs(c, undefined, v);
    const gen = generateNftables(inputs, inputs.settings, { family: inputs.family, format: 'transaction' });
    steps.push({
      label: `${c.id} variant ${v.subtest}`,
      expectedSorted: null,
      transaction: gen.text,
      flows: [],
      variant: v,
      family: inputs.family,
      nodeIPs: c.nodeIPs,
    });
  }
  return steps;
}

/** The sorted, DNAT-normalised form both sides are compared in. */
export const comparable = (text: string): string =>
  sortNftTransaction(text.split('\n').map(normalizeSingleEndpointDnat).join('\n'));

export function firstDifference(actual: string, expected: string): string | null {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const extra = a.filter((l) => !e.includes(l));
  const missing = e.filter((l) => !a.includes(l));
  if (extra.length === 0 && missing.length === 0) {
    for (let i = 0; i < Math.max(a.length, e.length); i++)
      if (a[i] !== e[i]) return `order differs at line ${i + 1}: ${a[i] ?? ''} / ${e[i] ?? ''}`;
    return null;
  }
  return `missing: ${JSON.stringify(missing.slice(0, 5))} extra: ${JSON.stringify(extra.slice(0, 5))}`;
}
