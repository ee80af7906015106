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
}

/** A problem in a rule body, worded for people; the caller adds the line number. */
export interface RuleProblem {
  severity: 'error' | 'warning';
  message: string;
}

/** State shared by all rules of one parse. */
export interface RuleParseContext {
  /** Problems of the current rule; the caller adds the line number and empties it. */
  problems: RuleProblem[];
}

// One copy of each module and option name (bounded), so that big dumps do not hold millions of copies.
const NAMES = new Map<string, string>();
const OPTION_NAMES = new Map<string, string>();

function intern(s: string): string {
  const known = NAMES.get(s);
  if (known !== undefined) return known;
  if (NAMES.size < 4096) NAMES.set(s, s);
  return s;
}

/** `--dport` → `dport`, `-x` → `x`, one string per distinct name. */
function optionName(word: string): string {
  let name = OPTION_NAMES.get(word);
  if (name === undefined) {
    name = word.charCodeAt(1) === 45 ? word.slice(2) : word.slice(1);
    if (OPTION_NAMES.size < 4096) OPTION_NAMES.set(word, name);
  }
  return name;
}

const NOT = '!';

// Module-level helpers instead of closures: this runs once per rule of dumps with 10^5 rules.

function isOpt(t: RuleTokens, k: number): boolean {
  const w = t.words[k];
  return w !== undefined && isOptionWord(w) && (t.quoted === null || !t.quoted.includes(k));
}

function isNot(t: RuleTokens, k: number): boolean {
  return t.words[k] === NOT && (t.quoted === null || !t.quoted.includes(k));
}

/**
 * Reads the arguments of the option at `k` into `opt`; returns the index after them. Arrays
 * are made by `slice` so that they have exactly their length: large dumps hold millions.
 */
function readArgs(t: RuleTokens, k: number, opt: RuleOption): number {
  const n = t.words.length;
  let j = k + 1;
  // `--opt ! value` (old form) negates this option; `! --next` belongs to the next one.
  if (j + 1 < n && isNot(t, j) && !isOpt(t, j + 1) && !isNot(t, j + 1)) {
    opt.negated = !opt.negated;
    j++;
  }
  const start = j;
  while (j < n && !isOpt(t, j) && !isNot(t, j)) j++;
  if (j > start) opt.args = t.words.slice(start, j);
  return j;
}

function findModule(matches: RuleMatch[], module: string, implicit: boolean): RuleMatch {
  for (const m of matches) if (m.module === module) return m;
  const m: RuleMatch = implicit ? { module, options: [], implicit: true } : { module, options: [] };
  matches.push(m);
  return m;
}

/** Which match an option like `--dport` belongs to, or null when none can own it. */
function ownerOf(
  name: string,
  current: RuleMatch | null,
  protocol: string | null,
  matches: RuleMatch[],
): RuleMatch | null {
  const protoOpts = protocol === null ? undefined : PROTOCOL_MODULE_OPTIONS.get(protocol);
  if (current !== null) {
    if (protoOpts === undefined || !protoOpts.has(name) || current.module === protocol) return current;
    const known = KNOWN_MODULE_OPTIONS.get(current.module);
    if (known === undefined || known.has(name)) return current;
  }
  if (protoOpts !== undefined && protocol !== null && protoOpts.has(name))
    return findModule(matches, protocol, true);
  return null;
}

/**
 * Reads matches and target from `tokens.words[from…]`. Options take every following word that
 * is not an option name (this is what makes kube-proxy's unquoted multi-word comments work);
 * `!` negates the next option, or the option before it when it has no argument yet (`-s ! x`).
 * Problems are appended to `ctx.problems`.
 */
export function parseRuleBody(tokens: RuleTokens, from: number, ctx: RuleParseContext): ParsedRuleBody {
  const problems = ctx.problems;
  const words = tokens.words;
  const n = words.length;
  const matches: RuleMatch[] = [];
  let builtin: RuleMatch | null = null;
  let current: RuleMatch | null = null;
  let target: RuleTarget | null = null;
  let inTarget = false;
  let protocol: string | null = null;
  let counters: Counters | null = null;
  let negateNext = false;

  let i = from;
  while (i < n) {
    const word = words[i] ?? '';
    if (isNot(tokens, i)) {
      negateNext = !negateNext;
      i++;
      continue;
    }
    if (!isOpt(tokens, i)) {
      problems.push({
        severity: 'error',
        message: `unexpected word "${word}" (word ${i + 1}); expected an option such as -m, -j or --name`,
      });
      i++;
      continue;
    }
    const negated = negateNext;
    negateNext = false;

    if (word === '-m' || word === '--match') {
      const module = words[i + 1];
      if (module === undefined || isOpt(tokens, i + 1)) {
        problems.push({ severity: 'error', message: `${word} without a module name` });
        i++;
        continue;
      }
      if (negated)
        problems.push({
          severity: 'warning',
          message: `"!" before ${word} ${module} has no meaning; ignored`,
        });
      current = { module: intern(module), options: [] };
      matches.push(current);
      inTarget = false;
      i += 2;
      continue;
    }
    if (word === '-j' || word === '--jump' || word === '-g' || word === '--goto') {
      const name = words[i + 1];
      if (name === undefined || isOpt(tokens, i + 1)) {
        problems.push({ severity: 'error', message: `${word} without a target name` });
        i++;
        continue;
      }
      if (target !== null) {
        problems.push({
          severity: 'error',
          message: `second target ${name} after ${target.name}; keeping the last one`,
        });
      }
      target = { name, goto: word === '-g' || word === '--goto', options: [] };
      inTarget = true;
      i += 2;
      continue;
    }
    if (word === '-c' || word === '--set-counters') {
      const p = Number(words[i + 1]);
      const b = Number(words[i + 2]);
      if (Number.isFinite(p) && Number.isFinite(b)) counters = { packets: p, bytes: b };
      else problems.push({ severity: 'error', message: `${word} expects two numbers (packets bytes)` });
      i = Math.min(n, i + 3);
      continue;
    }
    const builtinName = BUILTIN_OPTIONS.get(word);
    if (builtinName !== undefined) {
      const opt: RuleOption = { name: builtinName, negated, args: [] };
      if (builtinName === 'fragment') {
        i++;
      } else {
        // Builtin options take exactly one argument (the old `-s ! x` form is allowed).
        let j = i + 1;
        if (isNot(tokens, j) && j + 1 < n && !isOpt(tokens, j + 1)) {
          opt.negated = !opt.negated;
          j++;
        }
        if (j < n && !isOpt(tokens, j) && !isNot(tokens, j)) {
          opt.args = [words[j] ?? ''];
          j++;
        } else {
          problems.push({ severity: 'error', message: `${word} without a value` });
        }
        i = j;
      }
      if (builtinName === 'protocol' && opt.args[0] !== undefined) {
        opt.args[0] = intern(opt.args[0]);
        protocol = protocolName(opt.args[0]);
      }
      if (builtin === null) {
        builtin = { module: '', options: [] };
        matches.push(builtin);
      }
      builtin.options.push(opt);
      continue;
    }

    const name = optionName(word);
    const opt: RuleOption = { name, negated, args: [] };
    i = readArgs(tokens, i, opt);
    if (inTarget && target !== null) {
      target.options.push(opt);
      continue;
    }
    const owner = ownerOf(name, current, protocol, matches);
    if (owner === null) {
      problems.push({
        severity: 'warning',
        message: `option ${word} is not inside any -m module; kept with the builtin matches`,
      });
      if (builtin === null) {
        builtin = { module: '', options: [] };
        matches.push(builtin);
      }
      builtin.options.push(opt);
      continue;
    }
    if (name === 'comment' && owner.module === 'comment' && opt.args.length > 1) {
      // kube-proxy writes multi-word comments unquoted in its restore input.
      opt.args = [opt.args.join(' ')];
    }
    owner.options.push(opt);
  }
  if (negateNext) problems.push({ severity: 'error', message: '"!" at the end of the rule negates nothing' });

  let comment: string | null = null;
  for (const m of matches) {
    if (m.options.length > 0) m.options = m.options.slice(); // exact-size arrays (see readArgs)
    if (comment !== null || m.module !== 'comment') continue;
    for (const o of m.options) {
      if (o.name === 'comment') {
        comment = o.args.length === 1 ? (o.args[0] ?? '') : o.args.join(' ');
        break;
      }
    }
  }
  if (target !== null && target.options.length > 0) target.options = target.options.slice();
  // The kernel checks the builtin matches (the IP header part of the entry) before any module,
  // and iptables-save prints them first: keep them first whatever order the input had.
  if (builtin !== null && matches[0] !== builtin) {
    const rest = matches.filter((m) => m !== builtin);
    return { matches: [builtin, ...rest], target, comment, counters };
  }
  return { matches: matches.slice(), target, comment, counters };
}
