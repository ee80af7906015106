import { describe, expect, it } from 'vitest';
import { iptablesGenerationChecks } from './checks.js';
import { loadConformanceCases } from './load.test-helpers.js';

const cases = loadConformanceCases('ipt_');

describe.skipIf(!cases)('iptables conformance (generate)', () => {
  const all = cases ?? [];
  const results = all.flatMap((c) => iptablesGenerationChecks(c));

  it('covers the full dumps, partial phases and chain assertions', () => {
    expect(results.filter((r) => r.check === 'full dump').length).toBeGreaterThanOrEqual(3);
    expect(results.some((r) => r.check.startsWith('phase'))).toBe(true);
  });

  it.each(results.map((r) => [`${r.caseId} ${r.check}`, r] as const))('%s', (_name, r) => {
    expect(r.detail ?? 'ok').toBe('ok');
  });

  it('summary', () => {
    const passed = results.filter((r) => r.ok).length;
    console.log(`iptables conformance (generate): ${passed} passed, ${results.length - passed} failed`);
    expect(passed).toBe(results.length);
  });
});
