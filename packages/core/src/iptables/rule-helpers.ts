import type { IptablesRule, RuleOption } from './types.js';

/** The first option `name` of module `module` ('' for the builtin matches, 'target' style lookups use `targetOption`). */
export function findOption(rule: IptablesRule, module: string, name: string): RuleOption | undefined {
  for (const m of rule.matches) {
    if (m.module !== module) continue;
    for (const o of m.options) if (o.name === name) return o;
  }
  return undefined;
}

/** The first option `name` of the rule's target. */
export function targetOption(rule: IptablesRule, name: string): RuleOption | undefined {
  return rule.target?.options.find((o) => o.name === name);
}

/** `statistic --mode random --probability p` as a number, or null when the rule has none (or it is unreadable). */
export function ruleProbability(rule: IptablesRule): number | null {
  const o = findOption(rule, 'statistic', 'probability');
  if (o === undefined || o.args[0] === undefined) return null;
  const p = Number(o.args[0]);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
}

/** The first argument of an option, or undefined. */
export function optionValue(rule: IptablesRule, module: string, name: string): string | undefined {
  return findOption(rule, module, name)?.args[0];
}

/** 6 when the rule's first `-s`/`-d` address is IPv6, 4 when IPv4, null when it has none. */
export function ruleAddressFamily(rule: IptablesRule): 4 | 6 | null {
  for (const m of rule.matches) {
    if (m.module !== '') continue;
    for (const o of m.options) {
      if (o.name !== 'source' && o.name !== 'destination') continue;
      const a = o.args[0] ?? '';
      if (a.includes(':')) return 6;
      if (a.includes('.')) return 4;
    }
  }
  return null;
}
