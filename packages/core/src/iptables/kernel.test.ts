// Checks the parser, serializer and canonical keys against the real kernel: rules are loaded
// into a private network namespace with iptables-restore and read back with iptables-save.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { diffRulesets } from '../diff/diff-rulesets.js';
import { buildIptablesGraph } from '../graph/build-iptables.js';
import { canonicalRuleKey, kernelProbability } from './canonical.js';
import { parseIptables } from './parse.js';
import { ruleProbability } from './rule-helpers.js';
import { serializeIptables } from './serialize.js';
import type { IptablesRuleset } from './types.js';

function whyNotRunnable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (ip netns needs it)';
  for (const tool of ['ip', 'iptables-restore', 'iptables-save', 'ip6tables-restore']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return null;
}

const reason = whyNotRunnable();
if (reason !== null) console.warn(`[svcpath tests] skipping kernel iptables tests: ${reason}`);

const ns = `svcpath-test-${randomBytes(4).toString('hex')}`;
let nsCreated = false;

/** Runs a command inside the test namespace; returns status, stdout and stderr. */
function inNs(cmd: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...cmd], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Flushes and deletes everything loaded, so that tests do not see each other's rules. */
function resetNs(): void {
  for (const tool of ['iptables', 'ip6tables']) {
    for (const table of ['filter', 'nat', 'mangle', 'raw']) {
      inNs([tool, '-t', table, '-F']);
      inNs([tool, '-t', table, '-X']);
    }
  }
}

const rules = (rs: IptablesRuleset) =>
  [...rs.tables.values()].flatMap((t) => [...t.chains.values()].flatMap((c) => c.rules));

describe.skipIf(reason !== null)('iptables against the real kernel', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    nsCreated = true;
  });
  afterAll(() => {
    if (nsCreated) spawnSync('ip', ['netns', 'del', ns]);
  });

  const conformance = sharedPath('conformance');
  it.skipIf(!conformance)(
    'canonical keys of kube-proxy restore input match what iptables-save prints back',
    () => {
      resetNs();
      const json = JSON.parse(
        readFileSync(join(conformance ?? '', 'ipt_TestOverallIPTablesRules.json'), 'utf8'),
      ) as {
        expectedIptablesSave: string;
      };
      // The nfacct match needs a counter object that only kube-proxy's host creates (no nfacct tool here).
      const input = json.expectedIptablesSave.replace(/ -m nfacct --nfacct-name \S+/g, '');
      const load = inNs(['iptables-restore', '--noflush'], input);
      expect(load.stderr).toBe('');
      expect(load.status).toBe(0);
      const saved = inNs(['iptables-save']);
      expect(saved.status).toBe(0);

      const written = parseIptables(input);
      const back = parseIptables(saved.stdout);
      expect(written.format).toBe('restore');
      expect(back.format).toBe('save');
      expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
      // The text differs (that is the point) …
      const writtenTexts = new Set(rules(written).map((r) => r.text));
      expect(rules(back).filter((r) => writtenTexts.has(r.text)).length).toBeLessThan(
        rules(written).length / 2,
      );
      // … but every rule kube-proxy wrote is found, by key, in the same place.
      const backKeys = new Map(rules(back).map((r) => [canonicalRuleKey(r), r]));
      const missing = rules(written)
        .filter((r) => !backKeys.has(canonicalRuleKey(r)))
        .map((r) => r.text);
      expect(missing).toEqual([]);
      for (const r of rules(written)) expect(backKeys.get(canonicalRuleKey(r))?.index).toBe(r.index);
      expect(rules(back)).toHaveLength(rules(written).length);
      // The Service graph reads the same from kube-proxy's text and from the kernel's.
      const shape = (rs: IptablesRuleset) =>
        buildIptablesGraph(rs).services.map((s) => ({
          service: s.service,
          protocol: s.protocol,
          chain: s.chain,
          entries: s.entries.map((e) => [e.kind, e.ip, e.port, e.target]),
          endpoints: s.endpoints.map((e) => [e.address, e.chain, Number(e.probability.toFixed(8))]),
          nodes: s.nodes.map((n) => [n.id, n.masquerade ?? false, n.affinitySeconds ?? null]),
          edges: s.edges.map((e) => [e.from, e.to, Number(e.probability.toFixed(8)), e.rule?.rule ?? null]),
        }));
      expect(shape(back)).toEqual(shape(written));
      expect(shape(back)).toHaveLength(6);
      // … and the diff sees no drift between what kube-proxy wrote and what the kernel holds.
      expect(diffRulesets(written, back)).toMatchObject({ inSync: true, unexplainedRules: [] });
    },
  );

  it('probabilities read back are the kernel 32-bit fraction of what was written', () => {
    resetNs();
    const written = [0.3333333333, 0.5, 0.33333, 0.25, 0.0000099999, 0.1428571429, 0.9, 0.0909090909];
    const input = [
      '*nat',
      ':T - [0:0]',
      ...written.map((p) => `-A T -m statistic --mode random --probability ${p} -j RETURN`),
      'COMMIT',
      '',
    ].join('\n');
    expect(inNs(['iptables-restore', '--noflush'], input).status).toBe(0);
    const back = parseIptables(inNs(['iptables-save', '-t', 'nat']).stdout);
    const got =
      back.tables
        .get('nat')
        ?.chains.get('T')
        ?.rules.map((r) => ruleProbability(r)) ?? [];
    expect(got.map((p) => kernelProbability(p ?? -1))).toEqual(written.map(kernelProbability));
    const inKeys = parseIptables(input)
      .tables.get('nat')
      ?.chains.get('T')
      ?.rules.map((r) => canonicalRuleKey(r));
    expect(
      back.tables
        .get('nat')
        ?.chains.get('T')
        ?.rules.map((r) => canonicalRuleKey(r)),
    ).toEqual(inKeys);
  });

  it('common rule spellings get the key of what iptables-save prints back', () => {
    resetNs();
    const written = [
      '-A T -j MARK --set-mark 0x4000',
      '-A T -j MARK --set-mark 0x1/0xf000',
      '-A T -j MARK --and-mark 0x4000',
      '-A T -j MARK --or-mark 0x004000',
      '-A T -j MARK --xor-mark 0x4000',
      '-A T -j CONNMARK --set-mark 0x10',
      '-A T -m recent --name X --rcheck --seconds 5 --reap',
      '-A T -m recent --rcheck --seconds 5 --reap --rdest',
      '-A T -p tcp -m multiport --destination-ports 80,443',
      '-A T -p tcp --destination-port 80 -m state --state ESTABLISHED,NEW',
      '-A T -s 10.1.2.3/255.255.0.0 -j RETURN',
      '-A T -p 6 -j RETURN',
      '-A T -p tcp --syn',
      '-A T -p tcp --tcp-flags ACK,SYN SYN',
      '-A T -m conntrack --ctstate ESTABLISHED,RELATED,DNAT',
      '-A T -m mark ! --mark 0x004000/0x004000 -j RETURN',
      '-A T -m comment --comment "a \\"quoted\\" word" -j RETURN',
      '-A T -m comment --comment ns1/svc1:p80 -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j RETURN',
    ];
    const input = ['*mangle', ':T - [0:0]', ...written, 'COMMIT', ''].join('\n');
    const load = inNs(['iptables-restore', '--noflush'], input);
    expect(load.stderr).toBe('');
    const back =
      parseIptables(inNs(['iptables-save', '-t', 'mangle']).stdout)
        .tables.get('mangle')
        ?.chains.get('T')?.rules ?? [];
    const mine = parseIptables(input).tables.get('mangle')?.chains.get('T')?.rules ?? [];
    expect(back).toHaveLength(written.length);
    expect(back.map((r) => canonicalRuleKey(r))).toEqual(mine.map((r) => canonicalRuleKey(r)));
  });

  const dumps = sharedPath('dumps');
  it.skipIf(!dumps)('iptables-restore --test accepts the serialised real dumps', () => {
    let tested = 0;
    for (const f of readdirSync(dumps ?? '').filter((n) => n.endsWith('.txt'))) {
      const rs = parseIptables(readFileSync(join(dumps ?? '', f), 'utf8'));
      if (rules(rs).length === 0 || rs.issues.some((i) => i.severity === 'error')) continue;
      const r = inNs(['iptables-restore', '--test'], serializeIptables(rs, { counters: rs.hasCounters }));
      if (rs.issues.some((i) => i.message.includes('DNAT target looks garbled'))) {
        // What the parser flagged, the kernel's tool refuses too.
        expect(r.status, f).not.toBe(0);
        continue;
      }
      expect(r.stderr, f).toBe('');
      expect(r.status, f).toBe(0);
      tested++;
    }
    expect(tested).toBeGreaterThanOrEqual(6);
  });

  it('ip6tables-restore loads a serialised IPv6 ruleset and reads it back with the same keys', () => {
    resetNs();
    const input = [
      '*nat',
      ':KUBE-SVC-A - [0:0]',
      ':KUBE-SEP-B - [0:0]',
      '-A KUBE-SVC-A -m comment --comment "ns/a:p cluster IP" -m tcp -p tcp -d fd00:10::1 --dport 80 ! -s fd00:20::/64 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-A -m comment --comment "ns/a:p -> [fd00:20::5]:80" -m recent --name KUBE-SEP-B --rcheck --seconds 10800 --reap -j KUBE-SEP-B',
      '-A KUBE-SEP-B -m comment --comment ns/a:p -m tcp -p tcp -j DNAT --to-destination [fd00:20::5]:80',
      '-A KUBE-SEP-B -m comment --comment ns/a:p -s fd00:20::5 -j KUBE-MARK-MASQ',
      ':KUBE-MARK-MASQ - [0:0]',
      'COMMIT',
      '*filter',
      ':KUBE-SERVICES - [0:0]',
      '-A KUBE-SERVICES -m comment --comment "ns/b:p has no endpoints" -m tcp -p tcp -d fd00:10::2 --dport 80 -j REJECT',
      'COMMIT',
      '',
    ].join('\n');
    const written = parseIptables(input);
    expect(written.family).toBe(6);
    const text = serializeIptables(written);
    expect(inNs(['ip6tables-restore', '--test'], text).status).toBe(0);
    const load = inNs(['ip6tables-restore'], text);
    expect(load.stderr).toBe('');
    const back = parseIptables(inNs(['ip6tables-save']).stdout);
    expect(back.family).toBe(6);
    const backKeys = new Set(rules(back).map((r) => canonicalRuleKey(r, 6)));
    expect(
      rules(written)
        .filter((r) => !backKeys.has(canonicalRuleKey(r, 6)))
        .map((r) => r.text),
    ).toEqual([]);
  });
});
