import { describe, expect, it } from 'vitest';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { comparable, firstDifference, nftCaseSteps } from './conformance.test-helpers.js';
import { generateNftables, normalizeSingleEndpointDnat, sortNftTransaction } from './generate.js';
import { parseNftText } from './parse-text.js';
import { caseInputs } from '../conformance/inputs.js';
import { defaultProxySettings } from '../model/proxy-config.js';

const cases = loadConformanceCases('nft_');

describe.skipIf(!cases)('nftables conformance (generate)', () => {
  it('generates every expected full dump, phases included', () => {
    let passed = 0;
    const failures: string[] = [];
    for (const c of cases ?? []) {
      for (const step of nftCaseSteps(c)) {
        if (step.expectedSorted === null) continue;
        const diff = firstDifference(comparable(step.transaction), comparable(step.expectedSorted));
        if (diff === null) passed++;
        else failures.push(`${step.label}: ${diff}`);
      }
    }
    console.log(`nftables conformance (generate): ${passed} passed, ${failures.length} failed`);
    expect(failures).toEqual([]);
    expect(passed).toBe(14);
  });

  it('meets the substring and element assertions of the variant cases', () => {
    const failures: string[] = [];
    for (const c of cases ?? []) {
      for (const step of nftCaseSteps(c)) {
        const v = step.variant;
        if (v === undefined) continue;
        for (const s of (v['dumpContains'] as string[] | undefined) ?? [])
          if (!step.transaction.includes(s)) failures.push(`${step.label}: lacks ${s}`);
        for (const s of (v['dumpNotContains'] as string[] | undefined) ?? [])
          if (step.transaction.includes(s)) failures.push(`${step.label}: has ${s}`);
        const a = v['assertion'] as
          { map?: string; elementKey?: string[]; expectedPresent: boolean } | undefined;
        if (a?.map !== undefined && a.elementKey !== undefined) {
          const set = parseNftText(step.transaction).tables[0]?.sets.get(a.map);
          const present = set?.elements.some((e) => e.key.join(' . ') === a.elementKey?.join(' . ')) ?? false;
          if (present !== a.expectedPresent)
            failures.push(`${step.label}: ${a.elementKey.join(' . ')} present=${present}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('writes transactions and rulesets that parse without issues', () => {
    for (const c of cases ?? []) {
      const inputs = caseInputs(c);
      for (const format of ['transaction', 'ruleset'] as const) {
        const g = generateNftables(inputs, inputs.settings, { family: inputs.family, format });
        expect(g.issues.filter((i) => i.severity === 'error')).toEqual([]);
        const rs = parseNftText(g.text);
        expect(rs.issues).toEqual([]);
        expect(rs.tables[0]?.name).toBe('kube-proxy');
      }
    }
  });
});

describe('generateNftables input issues', () => {
  it('reports what kube-proxy skips and a missing node IP of the family', () => {
    const services = [
      { metadata: { name: 'bad', namespace: 'ns' }, spec: { clusterIP: '300.1.1.1', ports: [{ port: 80 }] } },
      { metadata: { name: 'ok', namespace: 'ns' }, spec: { clusterIP: 'fd00::1', ports: [{ port: 80 }] } },
    ];
    const settings = { ...defaultProxySettings('n', ['192.168.0.2']), mode: 'nftables' as const };
    const g = generateNftables({ services, endpointSlices: [] }, settings, {
      family: 6,
      format: 'transaction',
    });
    expect(g.issues.map((i) => i.message).join('\n')).toMatch(/no IPv6 node IP/);
    expect(g.issues.some((i) => i.message.includes('ns/bad'))).toBe(true);
    expect(g.text).toContain(
      'add element ip6 kube-proxy no-endpoint-services { fd00::1 . tcp . 80 comment "ns/ok" : goto reject-chain }',
    );
  });
});

describe('sortNftTransaction / normalizeSingleEndpointDnat', () => {
  it('sorts by object type and name, keeping rule order', () => {
    const t = [
      'add rule ip t b y',
      'add chain ip t b',
      'add rule ip t a z',
      'add rule ip t b x',
      '# c',
      '',
      'add table ip t',
    ].join('\n');
    expect(sortNftTransaction(t).split('\n')).toEqual([
      'add table ip t',
      'add chain ip t b',
      'add rule ip t a z',
      'add rule ip t b y',
      'add rule ip t b x',
    ]);
  });
  it('treats the three single-endpoint DNAT spellings as one', () => {
    const forms = [
      'add rule ip kube-proxy c meta l4proto tcp dnat to 10.180.0.1:80',
      'add rule ip kube-proxy c meta l4proto tcp dnat ip addr . port to numgen random mod 1 map { 0 : 10.180.0.1 . 80 }',
      'add rule ip kube-proxy c meta l4proto tcp dnat ip addr . port to 10.180.0.1 . 80',
    ];
    expect(new Set(forms.map(normalizeSingleEndpointDnat)).size).toBe(1);
    expect(
      normalizeSingleEndpointDnat('add rule ip6 kube-proxy c meta l4proto tcp dnat to [fd00::1]:80'),
    ).toBe('add rule ip6 kube-proxy c meta l4proto tcp dnat ip6 addr . port to fd00::1 . 80');
  });
});
