import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { parseNftJson } from './parse-json.js';
import { parseNftText, parsePriority } from './parse-text.js';
import { parseRuleText } from './parse-rule.js';
import { serializeNftRuleset } from './render.js';
import type { NftRuleset } from './types.js';

const dumpsDir = sharedPath('dumps');
const confDir = sharedPath('conformance');
const testdata = (f: string): string => readFileSync(join(import.meta.dirname, 'testdata', f), 'utf8');

/** Chain → rule count, set → element keys: what two readings of one ruleset must agree on. */
export function summary(rs: NftRuleset): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of rs.tables) {
    for (const c of t.chains.values())
      out[`chain ${c.name}`] = `${c.hook ?? ''}/${c.priority ?? ''}/${c.rules.length}`;
    for (const s of t.sets.values()) {
      out[`${s.kind} ${s.name}`] = s.elements
        .map(
          (e) =>
            `${e.key.join(' . ')}${e.value === null ? '' : 'verdict' in e.value ? ` : ${e.value.verdict} ${e.value.target ?? ''}` : ` : ${e.value.data.join(' . ')}`}`,
        )
        .sort()
        .join(', ');
    }
  }
  return out;
}

describe('parseNftText', () => {
  it.skipIf(dumpsDir === null)('reads dump 13 (nft list table, numgen random mod 9)', () => {
    const rs = parseNftText(
      readFileSync(join(dumpsDir ?? '', '13-k3s-kube-proxy-nftables-mode-nft-list-table.txt'), 'utf8'),
    );
    expect(rs.issues).toEqual([]);
    expect(rs.format).toBe('ruleset');
    const t = rs.tables[0];
    expect(t?.family).toBe('ip');
    expect(t?.name).toBe('kube-proxy');
    expect(t?.comment).toBe('rules for kube-proxy');
    expect(t?.sets.get('service-ips')?.elements).toHaveLength(9);
    expect(t?.sets.get('cluster-ips')?.elements.map((e) => e.key[0])).toContain('10.43.195.72');
    const pre = t?.chains.get('filter-prerouting');
    expect(pre?.priority).toBe(-110);
    expect(pre?.priorityText).toBe('dstnat - 10');
    expect(t?.chains.get('nat-postrouting')?.priority).toBe(100);
    const svc = t?.chains.get('service-P6J77WGM-riset/hellopod-np-svc/tcp/');
    const vmap = svc?.rules[1]?.statements[0];
    expect(vmap?.kind).toBe('vmap');
    if (vmap?.kind === 'vmap' && vmap.map.kind === 'map') expect(vmap.map.entries).toHaveLength(9);
    const noEp = t?.sets.get('no-endpoint-services')?.elements[0];
    expect(noEp?.comment).toBe('riset/otelcol-opentelemetry-collector:otlp');
    expect(noEp?.value).toEqual({ verdict: 'goto', target: 'reject-chain' });
  });

  it.skipIf(confDir === null)('reads kube-proxy transactions of every nft case without issues', () => {
    for (const f of [
      'nft_TestOverallNFTablesRules.json',
      'nft_TestBadIPs.json',
      'nft_TestSyncProxyRulesRepeated.json',
    ]) {
      const c = JSON.parse(readFileSync(join(confDir ?? '', f), 'utf8')) as {
        expectedNft: string;
        expectedNftSorted: string;
      };
      for (const text of [c.expectedNft, c.expectedNftSorted]) {
        const rs = parseNftText(text);
        expect(rs.issues).toEqual([]);
        expect(rs.format).toBe('transaction');
        for (const ch of rs.tables[0]?.chains.values() ?? [])
          for (const r of ch.rules) expect(r.statements.filter((s) => s.kind === 'unknown')).toEqual([]);
      }
    }
  });

  it('reads nft -a list ruleset with handles and agrees with the JSON dump of the same kernel state', () => {
    const a = parseNftText(testdata('overall-nft-1.0.6-a.txt'));
    const j = parseNftJson(testdata('overall-nft-1.0.6.json'));
    expect(a.issues).toEqual([]);
    expect(j.issues).toEqual([]);
    expect(summary(a)).toEqual(summary(j));
    const rule = a.tables[0]?.chains.get('masquerading')?.rules[0];
    expect(rule?.handle).toBe(54);
    expect(rule?.text).toBe(
      'meta mark & 0x00004000 != 0x00000000 meta mark set meta mark ^ 0x00004000 masquerade fully-random',
    );
    const dnat = j.tables[0]?.chains.get('service-LAUZTJTB-ns4/svc4/tcp/p80')?.rules[0];
    expect(dnat?.text).toBe(
      'meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.180.0.4 . 80, 1 : 10.180.0.5 . 80 }',
    );
  });

  it('prints JSON rules exactly as nft lists them, for kube-proxy and a general firewall', () => {
    for (const name of ['overall', 'generic']) {
      const text = parseNftText(testdata(`${name}-nft-1.0.6-a.txt`));
      const json = parseNftJson(testdata(`${name}-nft-1.0.6.json`));
      expect(text.issues).toEqual([]);
      expect(json.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(summary(json)).toEqual(summary(text));
      const texts = (rs: NftRuleset): string[] =>
        rs.tables.flatMap((t) =>
          [...t.chains.values()].flatMap((c) => c.rules.map((r) => `${c.name}: ${r.text}`)),
        );
      expect(texts(json)).toEqual(texts(text));
    }
    const generic = parseNftText(testdata('generic-nft-1.0.6-a.txt'));
    const input = generic.tables[0]?.chains.get('input');
    expect(input?.policy).toBe('drop');
    expect(input?.rules.map((r) => r.statements.map((s) => s.kind).join(','))).toEqual([
      'vmap',
      'match,verdict',
      'match,counter,verdict',
      'match,match,verdict',
      'match,match,verdict',
      'match,verdict',
      'match,unknown,verdict',
      'dynset',
      'log',
      'match,verdict',
    ]);
    expect(input?.rules[9]?.statements[1]).toMatchObject({
      kind: 'verdict',
      verdict: 'reject',
      args: ['with', 'tcp', 'reset'],
    });
    expect(generic.tables[0]?.sets.get('blocked')?.elements.map((e) => e.key[0])).toEqual([
      '192.0.2.0/24',
      '198.51.100.1-198.51.100.9',
    ]);
    expect(generic.tables[1]?.sets.get('fwdmap')?.elements[0]?.value).toEqual({ data: ['10.0.0.1'] });
  });

  it('reads all three single-endpoint DNAT forms to the same target', () => {
    const forms = [
      'meta l4proto tcp dnat to 10.180.0.1:80',
      'meta l4proto tcp dnat ip addr . port to 10.180.0.1 . 80',
    ];
    for (const f of forms) {
      const s = parseRuleText(f).statements[1];
      expect(s).toMatchObject({
        kind: 'nat',
        type: 'dnat',
        to: { kind: 'concat', parts: [{ text: '10.180.0.1' }, { text: '80' }] },
      });
    }
    const m = parseRuleText(
      'meta l4proto tcp dnat ip addr . port to numgen random mod 1 map { 0 : 10.180.0.1 . 80 }',
    ).statements[1];
    expect(m).toMatchObject({ kind: 'nat', to: { kind: 'lookup', key: { kind: 'numgen', mod: 1 } } });
    expect(parseRuleText('meta l4proto tcp dnat to [fd00::1]:80').statements[1]).toMatchObject({
      to: { parts: [{ text: 'fd00::1' }, { text: '80' }] },
    });
  });

  it('keeps statements it does not know as unknown, with an error naming them', () => {
    const r = parseRuleText('ip saddr 10.0.0.1 limit rate 5/second accept');
    expect(r.statements.map((s) => s.kind)).toEqual(['match', 'unknown', 'verdict']);
    const r2 = parseRuleText('frobnicate 7 drop');
    expect(r2.statements.map((s) => s.kind)).toEqual(['unknown', 'verdict']);
  });

  it('gives line numbers for errors', () => {
    const rs = parseNftText(
      'table ip t {\n  chain c {\n    type nat hook prerouting priority bogus; policy accept;\n  }\n',
    );
    expect(rs.issues.map((i) => i.line)).toEqual([3, null]);
  });

  it('applies flush and delete commands', () => {
    const rs = parseNftText(
      [
        'add table ip t',
        'add chain ip t c',
        'add rule ip t c drop',
        'add set ip t s { type ipv4_addr ; }',
        'add element ip t s { 1.1.1.1, 2.2.2.2 }',
        'delete element ip t s { 1.1.1.1 }',
        'flush chain ip t c',
        'add rule ip t c accept',
        'add chain ip t gone',
        'delete chain ip t gone',
      ].join('\n'),
    );
    expect(rs.issues).toEqual([]);
    const t = rs.tables[0];
    expect(t?.chains.get('c')?.rules.map((r) => r.text)).toEqual(['accept']);
    expect(t?.sets.get('s')?.elements.map((e) => e.key)).toEqual([['2.2.2.2']]);
    expect(t?.chains.has('gone')).toBe(false);
  });

  it('resolves named priorities', () => {
    expect(parsePriority('dstnat')).toBe(-100);
    expect(parsePriority('dstnat - 10')).toBe(-110);
    expect(parsePriority('srcnat')).toBe(100);
    expect(parsePriority('filter')).toBe(0);
    expect(parsePriority('-110')).toBe(-110);
  });

  it('serializes to text it reads back the same', () => {
    const a = parseNftText(testdata('overall-nft-1.0.6-a.txt'));
    expect(summary(parseNftText(serializeNftRuleset(a)))).toEqual(summary(a));
  });

  it('never throws on arbitrary input', () => {
    const alphabet = fc.constantFrom(
      'table',
      'chain',
      'set',
      'map',
      '{',
      '}',
      ';',
      ',',
      ':',
      '.',
      '"',
      'add',
      'rule',
      'ip',
      'daddr',
      '@x',
      'vmap',
      'dnat',
      'to',
      'numgen',
      'mod',
      '1',
      '\n',
      ' ',
      'elements',
      '=',
      'goto',
      'type',
      'hook',
      'priority',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.string(), (words, s) => {
        parseNftText(words.join(' '));
        parseNftText(s);
        parseNftJson(s);
        parseRuleText(words.join(' '));
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.json(), (j) => {
        parseNftJson(j);
        parseNftJson(JSON.stringify({ nftables: [JSON.parse(j) as unknown] }));
      }),
      { numRuns: 200 },
    );
  });
});
