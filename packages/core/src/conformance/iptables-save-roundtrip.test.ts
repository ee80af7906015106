import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generatedRulesetForCase } from './inputs.js';
import { loadConformanceCases } from './load.test-helpers.js';

// The save form of every case must load into a fresh network namespace and come back unchanged.
const cases = (loadConformanceCases('ipt_') ?? []).filter((c) => c.inputIptablesSave === undefined);
const tool = (family: 4 | 6) => (family === 4 ? 'iptables' : 'ip6tables');
const available = (family: 4 | 6) =>
  spawnSync('unshare', ['-rn', `${tool(family)}-save`], { encoding: 'utf8' }).status === 0 &&
  spawnSync('unshare', ['-rn', `${tool(family)}-restore`, '--version'], { encoding: 'utf8' }).status === 0;
const canRun = { 4: available(4), 6: available(6) };
if (!canRun[4])
  console.warn('[svcpath tests] skipping save round trips: unshare -rn iptables-restore is not usable here');

describe.skipIf(cases.length === 0 || !canRun[4])('iptables save form of every conformance case', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const r = generatedRulesetForCase(c, undefined, { format: 'save', overrides: { nfacct: false } });
    const family = c.ipFamily === 'IPv6' ? 6 : 4;
    if (!canRun[family]) return;
    const out = execFileSync(
      'unshare',
      ['-rn', 'sh', '-c', `${tool(family)}-restore && ${tool(family)}-save`],
      {
        input: r.text,
        encoding: 'utf8',
      },
    );
    expect(
      out
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n'),
    ).toBe(r.text);
  });
});
