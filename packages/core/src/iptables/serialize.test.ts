import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { parseIptables } from './parse.js';
import { renderRule, serializeIptables } from './serialize.js';
import type {
  IptablesChain,
  IptablesRule,
  IptablesRuleset,
  IptablesTable,
  RuleMatch,
  RuleOption,
} from './types.js';
import { BUILTIN_SHORT, builtinChainsFor } from './vocabulary.js';

const byBuiltinOrder = (a: RuleOption, b: RuleOption): number =>
  BUILTIN_SHORT.findIndex(([l]) => l === a.name) - BUILTIN_SHORT.findIndex(([l]) => l === b.name);

/** What must survive a round trip: everything but lines, raw text and the implicit-module flag. */
function shape(rs: IptablesRuleset, counters: boolean) {
  return [...rs.tables.values()].map((t) => ({
    table: t.name,
    chains: [...t.chains.values()]
      .filter((c) => c.rules.length > 0 || !c.builtin)
      .map((c) => ({
        name: c.name,
        builtin: c.builtin,
        policy: c.builtin ? (c.policy ?? 'ACCEPT') : null,
        rules: c.rules.map((r) => ({
          chain: r.chain,
          index: r.index,
          counters: counters ? r.counters : null,
          comment: r.comment,
          target: r.target,
          matches: r.matches.map((m) => ({
            module: m.module,
            options: m.module === '' ? [...m.options].sort(byBuiltinOrder) : m.options,
          })),
        })),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  }));
}

// Generated rulesets: names from safe alphabets, arguments anything but line breaks.
const upper = fc.stringMatching(/^[A-Z][A-Z0-9_-]{0,20}$/);
const lowerName = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const arg = fc.string({ maxLength: 12 }).filter((s) => !s.includes('\n') && !s.includes('\r'));
const option: fc.Arbitrary<RuleOption> = fc.record({
  name: lowerName.map((n) => `x-${n}`),
  negated: fc.boolean(),
  args: fc.array(arg, { maxLength: 3 }),
});
const builtinMatch: fc.Arbitrary<RuleMatch> = fc
  .subarray(
    BUILTIN_SHORT.map(([long]) => long),
    { minLength: 1 },
  )
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc
          .record({ negated: fc.boolean(), arg })
          .map(({ negated, arg: a }) => ({ name, negated, args: name === 'fragment' ? [] : [a] })),
      ),
    ),
  )
  .map((options) => ({ module: '', options }));
const moduleMatch: fc.Arbitrary<RuleMatch> = fc.oneof(
  fc.record({ module: lowerName, options: fc.array(option, { maxLength: 3 }) }),
  arg.map((c) => ({ module: 'comment', options: [{ name: 'comment', negated: false, args: [c] }] })),
);
const ruleBody = fc.record({
  builtin: fc.option(builtinMatch, { nil: undefined }),
  modules: fc.array(moduleMatch, { maxLength: 3 }),
  target: fc.option(
    fc.record({ name: upper, goto: fc.boolean(), options: fc.array(option, { maxLength: 2 }) }),
    { nil: null },
  ),
  counters: fc.record({ packets: fc.nat(), bytes: fc.nat() }),
});

const ruleset: fc.Arbitrary<IptablesRuleset> = fc
  .uniqueArray(
    fc.record({
      name: fc.constantFrom('filter', 'nat', 'mangle', 'raw'),
      chains: fc.uniqueArray(fc.record({ name: upper, rules: fc.array(ruleBody, { maxLength: 4 }) }), {
        selector: (c) => c.name,
        maxLength: 4,
      }),
    }),
    { selector: (t) => t.name, maxLength: 3 },
  )
  .map((ts) => {
    const tables = new Map<string, IptablesTable>();
    for (const t of ts) {
      const chains = new Map<string, IptablesChain>();
      for (const c of t.chains) {
        const builtin = builtinChainsFor(t.name).includes(c.name);
        const chain: IptablesChain = {
          name: c.name,
          builtin,
          policy: builtin ? 'ACCEPT' : null,
          counters: { packets: 0, bytes: 0 },
          line: 1,
          rules: [],
        };
        c.rules.forEach((b, i) => {
          const matches = [...(b.builtin === undefined ? [] : [b.builtin]), ...b.modules];
          const comment =
            matches.find((m) => m.module === 'comment')?.options.find((o) => o.name === 'comment')?.args[0] ??
            null;
          const rule: IptablesRule = {
            table: t.name,
            chain: c.name,
            index: i + 1,
            line: 1,
            text: '',
            counters: b.counters,
            matches,
            target: b.target,
            comment,
          };
          chain.rules.push(rule);
        });
        chains.set(c.name, chain);
      }
      tables.set(t.name, { name: t.name, line: 1, chains, committed: true });
    }
    return { kind: 'iptables', family: null, format: 'save', hasCounters: true, tables, issues: [] };
  });

describe('serializeIptables', () => {
  it('prints iptables-save order: builtin matches first, then modules, then the target', () => {
    const rs = parseIptables(
      '*nat\n-A X -m comment --comment ns/a:p -m tcp -p tcp -d 1.2.3.4/32 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\nCOMMIT\n',
    );
    const r = rs.tables.get('nat')?.chains.get('X')?.rules[0];
    expect(r && renderRule(r)).toBe(
      '-A X ! -s 10.0.0.0/8 -d 1.2.3.4/32 -p tcp -m comment --comment "ns/a:p" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    );
    expect(serializeIptables(rs)).toBe(
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':INPUT ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        ':POSTROUTING ACCEPT [0:0]',
        ':X - [0:0]',
        r && renderRule(r),
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('parse ∘ serialize is the identity on generated rulesets (with and without counters)', () => {
    fc.assert(
      fc.property(ruleset, fc.boolean(), (rs, counters) => {
        const text = serializeIptables(rs, { counters });
        const back = parseIptables(text);
        expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(shape(back, counters)).toEqual(shape(rs, counters));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text, and every issue has a line inside the input', () => {
    const lineish = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '*nat',
        '*filter',
        'COMMIT',
        ':X - [0:0]',
        '-A X -j Y',
        '[1:2] -A X',
        '-A',
        '!',
        '"',
        '\\',
        '-P',
        '-N',
        '-X',
        ':',
        '[',
        '# x',
      ),
      fc
        .array(
          fc.constantFrom(
            '-A',
            'X',
            '!',
            '-m',
            'tcp',
            '--dport',
            '"a b',
            '-j',
            '-s',
            '\\"',
            '-p',
            'tcp',
            ' ',
            '\t',
            '-c',
          ),
          { maxLength: 12 },
        )
        .map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(lineish, { maxLength: 20 }).map((ls) => ls.join('\n')),
        ),
        (text) => {
          const rs = parseIptables(text);
          const lines = text.split('\n').length;
          for (const i of rs.issues) {
            if (i.severity !== 'error') continue;
            expect(i.line).not.toBeNull();
            expect(i.line ?? 0).toBeGreaterThanOrEqual(1);
            expect(i.line ?? 0).toBeLessThanOrEqual(lines);
          }
          // Whatever was read serializes and reads back the same.
          const again = parseIptables(serializeIptables(rs));
          expect(shape(again, false).map((t) => t.chains.flatMap((c) => c.rules))).toEqual(
            shape(rs, false).map((t) => t.chains.flatMap((c) => c.rules)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

const dumpsDir = sharedPath('dumps');

describe.skipIf(!dumpsDir)('serialize → parse on the real dumps', () => {
  const files = dumpsDir === null ? [] : readdirSync(dumpsDir).filter((f) => f.endsWith('.txt'));
  it('gives back the same rules for every iptables dump', () => {
    let checked = 0;
    for (const f of files) {
      const text = readFileSync(join(dumpsDir ?? '', f), 'utf8');
      const rs = parseIptables(text);
      if ([...rs.tables.values()].every((t) => t.chains.size === 0)) continue; // not iptables
      const back = parseIptables(serializeIptables(rs, { counters: rs.hasCounters }));
      expect(shape(back, rs.hasCounters), f).toEqual(shape(rs, rs.hasCounters));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
