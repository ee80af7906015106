// Generation checks against the conformance cases: full dumps, partial restores, chain assertions.
import { sortIptablesRestore } from '../iptables/generate-sort.js';
import { generatedRulesetForCase, generatedSyncForPhase } from './inputs.js';
import type { ConformanceCase, ConformanceChainAssertion } from './types.js';

export interface CheckResult {
  caseId: string;
  check: string;
  ok: boolean;
  /** First differing line or what was missing. */
  detail?: string;
}

interface RestoreTables {
  /** table → chain → rules (declared chains present even when empty). */
  chains: Map<string, Map<string, string[]>>;
  deleted: Map<string, Set<string>>;
}

/** Splits restore/save text into per-table chains with their rules. */
export function restoreChains(text: string): RestoreTables {
  const chains = new Map<string, Map<string, string[]>>();
  const deleted = new Map<string, Set<string>>();
  let table = '';
  const tableChains = () => {
    let m = chains.get(table);
    if (!m) chains.set(table, (m = new Map()));
    return m;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      table = line.slice(1);
      tableChains();
    } else if (line.startsWith(':')) {
      const name = line.slice(1).split(/\s+/)[0] ?? '';
      if (!tableChains().has(name)) tableChains().set(name, []);
    } else if (line.startsWith('-A ')) {
      const name = line.split(/\s+/)[1] ?? '';
      const m = tableChains();
      m.set(name, [...(m.get(name) ?? []), line]);
    } else if (line.startsWith('-X ')) {
      const set = deleted.get(table) ?? new Set<string>();
      set.add(line.split(/\s+/)[1] ?? '');
      deleted.set(table, set);
    }
  }
  return { chains, deleted };
}

function firstDifference(a: string, b: string): string | undefined {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i])
      return `line ${i + 1}: expected ${JSON.stringify(y[i] ?? '')}, got ${JSON.stringify(x[i] ?? '')}`;
  }
  return undefined;
}

/** Generated restore text vs an expected full dump, both in sortIPTablesRules order. */
export function compareSorted(generated: string, expected: string): string | undefined {
  return firstDifference(sortIptablesRestore(generated), sortIptablesRestore(expected));
}

/** Every chain a partial restore rewrites must equal the full generation; `-X` chains must be gone. */
export function comparePartial(generatedFull: string, partial: string): string | undefined {
  const gen = restoreChains(generatedFull);
  const exp = restoreChains(partial);
  for (const [table, chains] of exp.chains) {
    const deleted = exp.deleted.get(table) ?? new Set<string>();
    for (const [chain, rules] of chains) {
      const mine = gen.chains.get(table)?.get(chain);
      if (deleted.has(chain)) {
        if (mine !== undefined) return `${table} ${chain} is deleted by the partial restore but generated`;
        continue;
      }
      if (mine === undefined) return `${table} ${chain} is missing`;
      const diff = firstDifference(mine.join('\n'), rules.join('\n'));
      if (diff) return `${table} ${chain}: ${diff}`;
    }
  }
  return undefined;
}

export function compareChains(
  generated: string,
  assertions: readonly ConformanceChainAssertion[],
): string | undefined {
  const gen = restoreChains(generated);
  for (const a of assertions) {
    const expected = (Array.isArray(a.rules) ? a.rules : a.rules.split('\n'))
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const mine = gen.chains.get(a.table)?.get(a.chain);
    if (mine === undefined) return `${a.table} ${a.chain} is missing`;
    const diff = firstDifference(mine.join('\n'), expected.join('\n'));
    if (diff) return `${a.table} ${a.chain}: ${diff}`;
  }
  return undefined;
}

const result = (caseId: string, check: string, detail: string | undefined): CheckResult =>
  detail === undefined ? { caseId, check, ok: true } : { caseId, check, ok: false, detail };

/** All text-generation checks of one iptables case. */
export function iptablesGenerationChecks(c: ConformanceCase): CheckResult[] {
  const out: CheckResult[] = [];
  if (c.mode !== 'iptables' || c.inputIptablesSave !== undefined) return out;
  if (c.expectedIptablesSave) {
    out.push(
      result(c.id, 'full dump', compareSorted(generatedRulesetForCase(c).text, c.expectedIptablesSave)),
    );
  }
  if (c.expectedChains) {
    out.push(
      result(c.id, 'expected chains', compareChains(generatedRulesetForCase(c).text, c.expectedChains)),
    );
  }
  (c.phases ?? []).forEach((p, i) => {
    if (!p.expectedIptablesRestoreInput) return;
    const full = generatedRulesetForCase(c, i).text;
    out.push(result(c.id, `phase ${i + 1} chains`, comparePartial(full, p.expectedIptablesRestoreInput)));
    const sync = generatedSyncForPhase(c, i).text;
    out.push(
      result(c.id, `phase ${i + 1} restore input`, compareSorted(sync, p.expectedIptablesRestoreInput)),
    );
  });
  for (const v of c.variants ?? []) {
    const gen = generatedRulesetForCase(c, undefined, { variant: v }).text;
    if (v.expectedChains)
      out.push(result(c.id, `variant ${v.subtest}`, compareChains(gen, v.expectedChains)));
    if (v.assertion) {
      const a = v.assertion;
      const rules = restoreChains(gen).chains.get(a.table)?.get(a.chain) ?? [];
      const present = rules.some((r) => r.includes(` -d ${a.ruleWithDestinationAddress} `));
      out.push(
        result(
          c.id,
          `variant ${v.subtest}`,
          present === a.expectedPresent
            ? undefined
            : `rule to ${a.ruleWithDestinationAddress} present=${present}`,
        ),
      );
    }
  }
  return out;
}
