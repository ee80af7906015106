import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { parseIptables } from '../iptables/parse.js';
import { serializeIptables } from '../iptables/serialize.js';
import { diffRulesets } from './diff-rulesets.js';

const conformance = sharedPath('conformance');
const dumps = sharedPath('dumps');

const overall = (): string =>
  (
    JSON.parse(readFileSync(join(conformance ?? '', 'ipt_TestOverallIPTablesRules.json'), 'utf8')) as {
      expectedIptablesSave: string;
    }
  ).expectedIptablesSave;

/** Applies line edits to a ruleset text: drop lines containing `drop`, replace, insert before COMMIT of a table. */
function edit(
  text: string,
  changes: { drop?: string[]; replace?: [string, string][]; addNat?: string[]; addNatChains?: string[] },
): string {
  let lines = text.split('\n');
  for (const d of changes.drop ?? []) lines = lines.filter((l) => !l.includes(d));
  for (const [from, to] of changes.replace ?? []) lines = lines.map((l) => l.split(from).join(to));
  const natAt = lines.indexOf('*nat');
  const natCommit = lines.indexOf('COMMIT', natAt);
  lines.splice(natCommit, 0, ...(changes.addNat ?? []));
  lines.splice(natAt + 1, 0, ...(changes.addNatChains ?? []));
  return lines.join('\n');
}

describe.skipIf(!conformance)('diffRulesets', () => {
  it('finds nothing between a ruleset and itself, or its iptables-save spelling', () => {
    const rs = parseIptables(overall());
    const same = diffRulesets(rs, parseIptables(overall()));
    expect(same.inSync).toBe(true);
    expect(same.summary).toMatchObject({
      servicesCompared: 6,
      servicesDrifted: 0,
      extraRules: 0,
      missingRules: 0,
    });
    // Reordered builtin matches, quoted comments, /32 … are the same rules.
    const respelled = parseIptables(serializeIptables(rs));
    expect(respelled.tables.get('nat')?.chains.get('KUBE-SERVICES')?.rules[0]?.text).not.toBe(
      rs.tables.get('nat')?.chains.get('KUBE-SERVICES')?.rules[0]?.text,
    );
    expect(diffRulesets(rs, respelled).inSync).toBe(true);
  });

  it('reports a removed endpoint, a changed probability, a stale SEP chain, a missing Service and an unexplained rule', () => {
    const expected = parseIptables(overall());
    const actualText = edit(overall(), {
      // svc4 lost endpoint 10.180.0.5 (its SEP chain is still there) …
      drop: ['"ns4/svc4:p80 -> 10.180.0.5:80"', 'ns6/svc6:p80 has no endpoints'],
      // … and its remaining endpoint rule kept a wrong probability.
      replace: [
        [
          '--probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
          '--probability 0.3000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
        ],
      ],
      addNatChains: [':KUBE-SEP-OLDENDPOINT00001 - [0:0]'],
      addNat: [
        '-A KUBE-SEP-OLDENDPOINT00001 -m comment --comment ns1/svc1:p80 -s 10.180.9.9 -j KUBE-MARK-MASQ',
        '-A KUBE-SEP-OLDENDPOINT00001 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.9.9:80',
        '-A KUBE-SERVICES -m tcp -p tcp -d 10.99.99.99 --dport 99 -j ACCEPT',
      ],
    });
    const actual = parseIptables(actualText);
    expect(actual.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const report = diffRulesets(expected, actual);
    expect(report.inSync).toBe(false);

    const svc4 = report.services.find((s) => s.service === 'ns4/svc4:p80');
    // Nothing jumps to the leftover SEP chain: 10.180.0.5 is unreachable, 10.180.0.4 gets p=0.3 and the
    // remaining 0.7 falls out of the chain un-DNATed.
    expect(svc4).toMatchObject({
      status: 'changed',
      missingEndpoints: ['10.180.0.5:80'],
      extraEndpoints: [],
    });
    expect(svc4?.probabilityChanges).toEqual([
      { address: '10.180.0.4:80', expected: 0.5, actual: expect.closeTo(0.3, 9) },
    ]);
    const svcChain = svc4?.chains.find((c) => c.chain === 'KUBE-SVC-4SW47YFZTEDKD3PK');
    expect(svcChain?.status).toBe('changed');
    expect(svcChain?.missingRules.map((r) => r.text)).toEqual([
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
    ]);
    expect(svcChain?.extraRules.map((r) => r.line)).toEqual([expect.any(Number)]);

    const svc1 = report.services.find((s) => s.service === 'ns1/svc1:p80');
    expect(svc1?.status).toBe('changed');
    expect(svc1?.chains).toEqual([
      expect.objectContaining({
        chain: 'KUBE-SEP-OLDENDPOINT00001',
        status: 'stale',
        service: 'ns1/svc1:p80',
      }),
    ]);
    expect(svc1?.chains[0]?.extraRules).toHaveLength(2);
    expect(svc1?.missingEndpoints).toEqual([]);

    const svc6 = report.services.find((s) => s.service === 'ns6/svc6:p80');
    expect(svc6).toMatchObject({
      status: 'missing',
      missingEntries: [expect.objectContaining({ kind: 'clusterIP', ip: '172.30.0.46', port: 80 })],
    });

    expect(report.unexplainedRules.map((r) => r.text)).toEqual([
      '-A KUBE-SERVICES -m tcp -p tcp -d 10.99.99.99 --dport 99 -j ACCEPT',
    ]);
    expect(report.services.map((s) => s.service).sort()).toEqual([
      'ns1/svc1:p80',
      'ns4/svc4:p80',
      'ns6/svc6:p80',
    ]);
    expect(report.summary).toMatchObject({ staleChains: 1, missingChains: 0, servicesDrifted: 3 });
  });

  it('reports an endpoint the node does not have and one it has in excess', () => {
    const expected = parseIptables(overall());
    const actual = parseIptables(edit(overall(), { replace: [['10.180.0.5:80', '10.180.0.6:80']] }));
    const svc4 = diffRulesets(expected, actual).services.find((s) => s.service === 'ns4/svc4:p80');
    expect(svc4).toMatchObject({
      missingEndpoints: ['10.180.0.5:80'],
      extraEndpoints: ['10.180.0.6:80'],
      probabilityChanges: [],
    });
    expect(svc4?.chains.map((c) => [c.chain, c.status])).toEqual([
      ['KUBE-SEP-C6EBXVWJJZMIWKLZ', 'changed'],
      ['KUBE-SVC-4SW47YFZTEDKD3PK', 'changed'],
    ]);
  });

  it('reports reordered rules in a per-service chain and missing per-service chains', () => {
    const text = overall();
    const a =
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ';
    const b =
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT';
    expect(text.includes(`${a}\n${b}`)).toBe(true);
    const swapped = text.replace(`${a}\n${b}`, `${b}\n${a}`);
    const report = diffRulesets(parseIptables(text), parseIptables(swapped));
    expect(report.chains).toEqual([
      expect.objectContaining({
        chain: 'KUBE-EXT-GNZBNJ2PO5MGZ6GT',
        status: 'changed',
        reordered: true,
        missingRules: [],
        extraRules: [],
      }),
    ]);
    expect(report.services.map((s) => s.service)).toEqual(['ns2/svc2:p80']);

    const noFw = edit(text, { drop: ['KUBE-FW-NUKIZ6OKUXPJNT4C'] });
    const r2 = diffRulesets(parseIptables(text), parseIptables(noFw));
    expect(r2.chains.find((c) => c.chain === 'KUBE-FW-NUKIZ6OKUXPJNT4C')).toMatchObject({
      status: 'missing',
      service: 'ns5/svc5:p80',
    });
    expect(r2.services.find((s) => s.service === 'ns5/svc5:p80')?.missingEntries.map((e) => e.kind)).toEqual([
      'loadBalancer',
    ]);
  });
});

describe('diffRulesets on the builtin chains', () => {
  it("compares only kube-proxy's jumps in builtin chains and reports a missing hook as a changed chain", () => {
    const expected = parseIptables(
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':KUBE-SERVICES - [0:0]',
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        'COMMIT',
      ].join('\n'),
    );
    const actual = parseIptables(
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':KUBE-SERVICES - [0:0]',
        ':CNI-HOSTPORT-DNAT - [0:0]',
        '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
        'COMMIT',
      ].join('\n'),
    );
    const report = diffRulesets(expected, actual);
    expect(report.chains).toEqual([
      expect.objectContaining({
        table: 'nat',
        chain: 'PREROUTING',
        status: 'changed',
        extraRules: [],
        missingRules: [expect.objectContaining({ line: 4 })],
      }),
    ]);
    expect(report.unexplainedRules).toEqual([]);
  });
});

describe.skipIf(!dumps)('diffRulesets on real dumps', () => {
  it('finds every real iptables dump in sync with itself', () => {
    for (const f of readdirSync(dumps ?? '').filter((n) => n.endsWith('.txt'))) {
      const text = readFileSync(join(dumps ?? '', f), 'utf8');
      const report = diffRulesets(parseIptables(text), parseIptables(serializeIptables(parseIptables(text))));
      expect(report.inSync, f).toBe(true);
    }
  });
});
