import { quoteWord } from './tokenize.js';
import type { IptablesChain, IptablesRule, IptablesRuleset, RuleOption } from './types.js';
import { BUILTIN_SHORT, builtinChainsFor } from './vocabulary.js';

export interface SerializeIptablesOptions {
  /** Print `[packets:bytes]` before every rule (`iptables-save -c`); chain counters are always printed. */
  counters?: boolean;
}

function renderOption(o: RuleOption, alwaysQuote: boolean): string {
  let s = o.negated ? '! --' + o.name : '--' + o.name;
  for (const a of o.args)
    s += ' ' + (alwaysQuote ? '"' + a.replace(/["\\]/g, (m) => '\\' + m) + '"' : quoteWord(a));
  return s;
}

/**
 * One rule as iptables-save prints it: builtin matches first (`-s -d -i -o -p -f`), then each
 * module with `-m`, then the target. Implicit protocol modules get their `-m tcp`.
 */
export function renderRule(rule: IptablesRule): string {
  const parts: string[] = ['-A', rule.chain];
  for (const m of rule.matches) {
    if (m.module !== '') continue;
    // Options iptables does not know as builtins (kept from odd input) come first, so that a
    // following `-p tcp` cannot claim them for its protocol module when read back.
    for (const o of m.options)
      if (!BUILTIN_SHORT.some(([long]) => long === o.name)) parts.push(renderOption(o, false));
    for (const [long, short] of BUILTIN_SHORT) {
      for (const o of m.options) {
        if (o.name !== long) continue;
        if (o.negated) parts.push('!');
        parts.push(short);
        for (const a of o.args) parts.push(quoteWord(a));
      }
    }
  }
  for (const m of rule.matches) {
    if (m.module === '') continue;
    parts.push('-m', quoteWord(m.module));
    for (const o of m.options) parts.push(renderOption(o, m.module === 'comment' && o.name === 'comment'));
  }
  if (rule.target !== null) {
    parts.push(rule.target.goto ? '-g' : '-j', quoteWord(rule.target.name));
    for (const o of rule.target.options) parts.push(renderOption(o, false));
  }
  return parts.join(' ');
}

function chainLine(c: IptablesChain): string {
  const policy = c.builtin ? (c.policy ?? 'ACCEPT') : '-';
  const counters = c.counters ?? { packets: 0, bytes: 0 };
  return `:${c.name} ${policy} [${counters.packets}:${counters.bytes}]`;
}

/**
 * The ruleset in `iptables-save` format: every table with all its builtin chains declared
 * (so that the text is complete `iptables-restore` input), user chains, rules and COMMIT.
 */
export function serializeIptables(rs: IptablesRuleset, opts: SerializeIptablesOptions = {}): string {
  const out: string[] = [];
  for (const t of rs.tables.values()) {
    out.push(`*${t.name}`);
    const builtins = builtinChainsFor(t.name);
    const ordered: IptablesChain[] = [];
    for (const name of builtins) {
      const c = t.chains.get(name);
      ordered.push(c ?? { name, builtin: true, policy: 'ACCEPT', counters: null, line: null, rules: [] });
    }
    for (const c of t.chains.values()) if (!builtins.includes(c.name)) ordered.push(c);
    for (const c of ordered) out.push(chainLine(c));
    for (const c of ordered) {
      for (const r of c.rules) {
        const text = renderRule(r);
        if (opts.counters === true) {
          const k = r.counters ?? { packets: 0, bytes: 0 };
          out.push(`[${k.packets}:${k.bytes}] ${text}`);
        } else {
          out.push(text);
        }
      }
    }
    out.push('COMMIT');
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
