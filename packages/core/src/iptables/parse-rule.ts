import type { Counters, RuleMatch, RuleOption, RuleTarget } from './types.js';
import { isOptionWord, type RuleTokens } from './tokenize.js';
import {
  BUILTIN_OPTIONS,
  KNOWN_MODULE_OPTIONS,
  PROTOCOL_MODULE_OPTIONS,
  protocolName,
} from './vocabulary.js';

/** The body of one `-A CHAIN …` rule: everything after the chain name. */
export interface ParsedRuleBody {
  matches: RuleMatch[];
  target: RuleTarget | null;
  comment: string | null;
  /** Inline `-c packets bytes` counters, when present. */
  counters: Counters | null;
  /** Problems in the rule body, worded for people. */
  errors: string[];
  warnings: string[];
}

const NOT = '!';

/**
 * Reads matches and target from `tokens.words[from…]`. Options take every following word that
 * is not an option name (this is what makes kube-proxy's unquoted multi-word comments work);
 * `!` negates the next option, or the option before it when it has no argument yet (`-s ! x`).
 */
export function parseRuleBody(tokens: RuleTokens, from: number): ParsedRuleBody {
  const { words, quoted } = tokens;
  const n = words.length;
  const matches: RuleMatch[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  let builtin: RuleMatch | null = null;
  let current: RuleMatch | null = null;
  let target: RuleTarget | null = null;
  let inTarget = false;
  let protocol: string | null = null;
  let counters: Counters | null = null;
  let negateNext = false;

  const isOpt = (k: number): boolean => k < n && quoted[k] === false && isOptionWord(words[k] ?? '');
  const isNot = (k: number): boolean => k < n && quoted[k] === false && words[k] === NOT;

  /** Arguments of the option at `k`: following words up to the next option or a prefix `!`. */
  const readArgs = (k: number, opt: RuleOption): number => {
    let j = k + 1;
    while (j < n) {
      if (isOpt(j)) break;
      if (isNot(j)) {
        // `--opt ! value` (old form) negates this option; `! --next` belongs to the next one.
        if (opt.args.length === 0 && j + 1 < n && !isOpt(j + 1) && !isNot(j + 1)) {
          opt.negated = !opt.negated;
          j++;
          continue;
        }
        break;
      }
      opt.args.push(words[j] ?? '');
      j++;
    }
    return j;
  };

  const builtinMatch = (): RuleMatch => {
    if (builtin === null) {
      builtin = { module: '', options: [] };
      matches.push(builtin);
    }
    return builtin;
  };

  const moduleMatch = (module: string, implicit: boolean): RuleMatch => {
    for (const m of matches) if (m.module === module) return m;
    const m: RuleMatch = implicit ? { module, options: [], implicit: true } : { module, options: [] };
    matches.push(m);
    return m;
  };

  /** Which match an option like `--dport` belongs to. */
  const ownerOf = (name: string): RuleMatch | null => {
    const protoOpts = protocol === null ? undefined : PROTOCOL_MODULE_OPTIONS.get(protocol);
    if (current !== null) {
      if (protoOpts === undefined || !protoOpts.has(name) || current.module === protocol) return current;
      const known = KNOWN_MODULE_OPTIONS.get(current.module);
      if (known === undefined || known.has(name)) return current;
    }
    if (protoOpts !== undefined && protoOpts.has(name) && protocol !== null)
      return moduleMatch(protocol, true);
    return null;
  };

  let i = from;
  while (i < n) {
    const word = words[i] ?? '';
    if (isNot(i)) {
      negateNext = !negateNext;
      i++;
      continue;
    }
    if (!isOpt(i)) {
      errors.push(`unexpected word "${word}" (word ${i + 1}); expected an option such as -m, -j or --name`);
      i++;
      continue;
    }
    const negated = negateNext;
    negateNext = false;

    if (word === '-m' || word === '--match') {
      const module = words[i + 1];
      if (module === undefined || isOpt(i + 1)) {
        errors.push(`${word} without a module name`);
        i++;
        continue;
      }
      if (negated) warnings.push(`"!" before ${word} ${module} has no meaning; ignored`);
      current = { module, options: [] };
      matches.push(current);
      inTarget = false;
      i += 2;
      continue;
    }
    if (word === '-j' || word === '--jump' || word === '-g' || word === '--goto') {
      const name = words[i + 1];
      if (name === undefined || isOpt(i + 1)) {
        errors.push(`${word} without a target name`);
        i++;
        continue;
      }
      if (target !== null) errors.push(`second target ${name} after ${target.name}; keeping the last one`);
      target = { name, goto: word === '-g' || word === '--goto', options: [] };
      inTarget = true;
      i += 2;
      continue;
    }
    if (word === '-c' || word === '--set-counters') {
      const p = Number(words[i + 1]);
      const b = Number(words[i + 2]);
      if (Number.isFinite(p) && Number.isFinite(b)) counters = { packets: p, bytes: b };
      else errors.push(`${word} expects two numbers (packets bytes)`);
      i = Math.min(n, i + 3);
      continue;
    }
    const builtinName = BUILTIN_OPTIONS.get(word);
    if (builtinName !== undefined) {
      const opt: RuleOption = { name: builtinName, negated, args: [] };
      if (builtinName === 'fragment') {
        i++;
      } else {
        // Builtin options take exactly one argument (old `-s ! x` form allowed).
        let j = i + 1;
        if (isNot(j) && j + 1 < n && !isOpt(j + 1)) {
          opt.negated = !opt.negated;
          j++;
        }
        if (j < n && !isOpt(j) && !isNot(j)) {
          opt.args.push(words[j] ?? '');
          j++;
        } else {
          errors.push(`${word} without a value`);
        }
        i = j;
      }
      if (builtinName === 'protocol' && opt.args[0] !== undefined) protocol = protocolName(opt.args[0]);
      builtinMatch().options.push(opt);
      continue;
    }

    const name = word.charCodeAt(1) === 45 ? word.slice(2) : word.slice(1);
    const opt: RuleOption = { name, negated, args: [] };
    i = readArgs(i, opt);
    if (inTarget && target !== null) {
      target.options.push(opt);
      continue;
    }
    const owner = ownerOf(name);
    if (owner === null) {
      warnings.push(`option ${word} is not inside any -m module; kept with the builtin matches`);
      builtinMatch().options.push(opt);
    } else {
      if (owner.module === 'comment' && name === 'comment' && opt.args.length > 1) {
        // kube-proxy writes multi-word comments unquoted in its restore input.
        opt.args = [opt.args.join(' ')];
      }
      owner.options.push(opt);
    }
  }
  if (negateNext) errors.push('"!" at the end of the rule negates nothing');

  let comment: string | null = null;
  for (const m of matches) {
    if (m.module !== 'comment') continue;
    const c = m.options.find((o) => o.name === 'comment');
    if (c !== undefined) {
      comment = c.args.join(' ');
      break;
    }
  }
  return { matches, target, comment, counters, errors, warnings };
}
