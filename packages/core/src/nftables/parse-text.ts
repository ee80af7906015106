// Reads `nft list ruleset` / `nft list table` / `nft -a` output and `nft -f` transactions
// (kube-proxy's `add chain ip kube-proxy …` lines) into one model.
import { issue, type ParseIssue } from '../common/issues.js';
import { parseElementTokens, parseRuleText } from './parse-rule.js';
import { renderExpr } from './render.js';
import { matchingBrace, parseNftDuration, tokenizeNft, type NftToken } from './tokenize.js';
import {
  NFT_NAMED_PRIORITIES,
  type NftChain,
  type NftCounter,
  type NftExpr,
  type NftRule,
  type NftRuleset,
  type NftSet,
  type NftSetElement,
  type NftTable,
  type NftVerdictName,
} from './types.js';

export const NFT_FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const COMMAND_VERBS = new Set([
  'add',
  'create',
  'insert',
  'replace',
  'flush',
  'delete',
  'destroy',
  'reset',
  'list',
]);
const BLOCK_WORDS = new Set([
  'table',
  'chain',
  'set',
  'map',
  'counter',
  'flowtable',
  'quota',
  'limit',
  'ct',
  'secmark',
  'synproxy',
]);

type Ctx =
  | { kind: 'top' }
  | { kind: 'table'; table: NftTable }
  | { kind: 'chain'; table: NftTable; chain: NftChain }
  | { kind: 'set'; table: NftTable; set: NftSet }
  | { kind: 'counter'; counter: NftCounter }
  | { kind: 'skip' };

export const newTable = (family: string, name: string, line: number | null): NftTable => ({
  family,
  name,
  comment: null,
  flags: [],
  line,
  handle: null,
  chains: new Map(),
  sets: new Map(),
  counters: new Map(),
});

export const newChain = (name: string, line: number | null): NftChain => ({
  name,
  type: null,
  hook: null,
  priority: null,
  priorityText: null,
  policy: null,
  comment: null,
  line,
  handle: null,
  rules: [],
});

export const newSet = (kind: 'set' | 'map', name: string, line: number | null): NftSet => ({
  kind,
  name,
  keyType: [],
  dataType: null,
  flags: [],
  timeout: null,
  comment: null,
  elements: [],
  line,
  handle: null,
});

/** Numeric value of a chain priority as written: `-110`, `dstnat`, `dstnat - 10`, `srcnat+5`. */
export function parsePriority(text: string): number | null {
  const t = text.replace(/\s+/g, '');
  if (/^[-+]?\d+$/.test(t)) return Number(t);
  const m = /^([a-z]+)(?:([-+])(\d+))?$/.exec(t);
  if (m === null) return null;
  const base = NFT_NAMED_PRIORITIES[m[1] ?? ''];
  if (base === undefined) return null;
  const off = m[3] === undefined ? 0 : Number(m[3]);
  return m[2] === '-' ? base - off : base + off;
}

const tokText = (t: NftToken | undefined): string => (t === undefined ? '' : t.text);

/** Splits `a b ; c d ;` into groups of tokens (outside braces). */
function splitSemicolons(tokens: readonly NftToken[]): NftToken[][] {
  const groups: NftToken[][] = [];
  let cur: NftToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (!t.quoted && t.text === '{') depth++;
    if (!t.quoted && t.text === '}') depth--;
    if (!t.quoted && t.text === ';' && depth === 0) {
      if (cur.length > 0) groups.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
}

/** Converts a parsed element list into set elements. */
export function elementsFromExpr(e: NftExpr, line: number | null): NftSetElement[] {
  const keyParts = (k: NftExpr): string[] =>
    k.kind === 'concat' ? k.parts.map(renderExpr) : k.kind === 'value' ? [k.text] : [renderExpr(k)];
  if (e.kind === 'set')
    return e.elements.map((el) => ({
      key: keyParts(el.value),
      value: null,
      comment: el.comment,
      timeout: el.timeout,
      line,
    }));
  if (e.kind === 'map') {
    return e.entries.map((en) => ({
      key: keyParts(en.key),
      value:
        en.value.kind === 'verdict'
          ? { verdict: en.value.verdict, target: en.value.target }
          : { data: keyParts(en.value) },
      comment: en.comment,
      timeout: null,
      line,
    }));
  }
  return [];
}

class TextParser {
  readonly tables: NftTable[] = [];
  readonly issues: ParseIssue[] = [];
  sawCommand = false;
  private stack: Ctx[] = [{ kind: 'top' }];

  private get ctx(): Ctx {
    return this.stack[this.stack.length - 1] ?? { kind: 'top' };
  }

  table(family: string, name: string, line: number, create: boolean): NftTable | null {
    const found = this.tables.find((t) => t.family === family && t.name === name);
    if (found !== undefined) return found;
    if (!create) {
      this.issues.push(issue('error', line, `table ${family} ${name} does not exist`));
      return null;
    }
    const t = newTable(family, name, line);
    this.tables.push(t);
    return t;
  }

  handleLine(raw: string, line: number, handle: number | null): void {
    const { tokens, unterminatedQuote } = tokenizeNft(raw);
    if (unterminatedQuote) this.issues.push(issue('error', line, 'unterminated quoted string'));
    if (tokens.length === 0) return;
    const first = tokText(tokens[0]);
    const ctx = this.ctx;
    if (first === '}' && tokens.length === 1) {
      if (this.stack.length <= 1) this.issues.push(issue('error', line, 'unexpected "}"'));
      else this.stack.pop();
      return;
    }
    const opensBlock = tokText(tokens[tokens.length - 1]) === '{' && BLOCK_WORDS.has(first);
    switch (ctx.kind) {
      case 'top':
        if (first === 'table' && opensBlock) {
          const words = tokens.slice(1, -1).map((t) => t.text);
          const [family, name] =
            words.length >= 2 ? [words[0] ?? 'ip', words[1] ?? ''] : ['ip', words[0] ?? ''];
          if (!NFT_FAMILIES.has(family))
            this.issues.push(issue('warning', line, `unknown family "${family}"`));
          const t = this.table(family, name, line, true);
          if (t !== null) {
            t.handle = handle ?? t.handle;
            this.stack.push({ kind: 'table', table: t });
          }
        } else if (COMMAND_VERBS.has(first)) {
          this.sawCommand = true;
          this.command(raw, tokens, line);
        } else
          this.issues.push(issue('error', line, `expected "table … {" or an nft command, got "${first}"`));
        return;
      case 'table': {
        const t = ctx.table;
        if (opensBlock && tokens.length >= 3) {
          const name = tokText(tokens[1]);
          if (first === 'chain') {
            const c = t.chains.get(name) ?? newChain(name, line);
            c.handle = handle;
            t.chains.set(name, c);
            this.stack.push({ kind: 'chain', table: t, chain: c });
          } else if (first === 'set' || first === 'map') {
            const s = t.sets.get(name) ?? newSet(first, name, line);
            s.handle = handle;
            t.sets.set(name, s);
            this.stack.push({ kind: 'set', table: t, set: s });
          } else if (first === 'counter') {
            const c: NftCounter = { name, packets: 0, bytes: 0, line };
            t.counters.set(name, c);
            this.stack.push({ kind: 'counter', counter: c });
          } else {
            this.issues.push(issue('warning', line, `"${first}" objects are not modelled; skipped`));
            this.stack.push({ kind: 'skip' });
          }
          return;
        }
        for (const g of splitSemicolons(tokens)) {
          const w = tokText(g[0]);
          if (w === 'comment') t.comment = tokText(g[1]);
          else if (w === 'flags')
            t.flags = g
              .slice(1)
              .map((x) => x.text)
              .filter((x) => x !== ',');
          else this.issues.push(issue('error', line, `unexpected "${w}" in table ${t.name}`));
        }
        return;
      }
      case 'chain':
        if (first === 'type' || first === 'policy' || (first === 'comment' && tokens.length === 2)) {
          this.chainProperties(ctx.chain, tokens, line);
          return;
        }
        this.addRule(ctx.chain, raw.trim(), line, handle, null);
        return;
      case 'set':
        this.setProperties(ctx.set, tokens, line);
        return;
      case 'counter':
        for (let i = 0; i < tokens.length; i++) {
          if (tokText(tokens[i]) === 'packets') ctx.counter.packets = Number(tokText(tokens[i + 1]));
          if (tokText(tokens[i]) === 'bytes') ctx.counter.bytes = Number(tokText(tokens[i + 1]));
        }
        return;
      case 'skip':
        if (opensBlock) this.stack.push({ kind: 'skip' });
        return;
    }
  }

  chainProperties(chain: NftChain, tokens: readonly NftToken[], line: number): void {
    for (const g of splitSemicolons(tokens)) {
      const w = tokText(g[0]);
      if (w === 'type') {
        chain.type = tokText(g[1]);
        for (let i = 2; i < g.length; i++) {
          const k = tokText(g[i]);
          if (k === 'hook') chain.hook = tokText(g[++i]);
          else if (k === 'device') i++;
          else if (k === 'priority') {
            const text = g
              .slice(i + 1)
              .map((x) => x.text)
              .join(' ');
            chain.priorityText = text;
            chain.priority = parsePriority(text);
            if (chain.priority === null)
              this.issues.push(issue('error', line, `cannot read priority "${text}"`));
            break;
          }
        }
        if (chain.hook === null)
          this.issues.push(issue('error', line, `base chain ${chain.name} has no hook`));
      } else if (w === 'policy') {
        const p = tokText(g[1]);
        if (p === 'accept' || p === 'drop') chain.policy = p;
        else this.issues.push(issue('error', line, `unknown policy "${p}"`));
      } else if (w === 'comment') chain.comment = tokText(g[1]);
      else if (w === 'devices') continue;
      else this.issues.push(issue('error', line, `unexpected "${w}" in chain ${chain.name}`));
    }
    if (chain.type !== null && chain.policy === null) chain.policy = 'accept';
  }

  setProperties(set: NftSet, tokens: readonly NftToken[], line: number): void {
    for (const g of splitSemicolons(tokens)) {
      const w = tokText(g[0]);
      const words = g.slice(1).map((x) => x.text);
      if (w === 'type' || w === 'typeof') {
        const colon = words.indexOf(':');
        const keyWords = colon < 0 ? words : words.slice(0, colon);
        set.keyType = keyWords.join(' ').split(' . ');
        if (colon >= 0) set.dataType = words.slice(colon + 1).join(' ');
        if (colon >= 0 && set.kind === 'set') set.kind = 'map';
      } else if (w === 'flags') set.flags = words.filter((x) => x !== ',');
      else if (w === 'timeout') set.timeout = parseNftDuration(words[0] ?? '');
      else if (w === 'comment') set.comment = words[0] ?? null;
      else if (w === 'elements') {
        const open = g.findIndex((x) => !x.quoted && x.text === '{');
        const close = open < 0 ? -1 : matchingBrace(g, open);
        if (close < 0) {
          this.issues.push(issue('error', line, `unbalanced element list in ${set.name}`));
          continue;
        }
        const { set: parsed, errors } = parseElementTokens(g, open, close);
        for (const e of errors) this.issues.push(issue('error', line, `${set.name}: ${e}`));
        set.elements.push(...elementsFromExpr(parsed, line));
      } else if (['size', 'policy', 'gc-interval', 'auto-merge', 'counter'].includes(w)) continue;
      else this.issues.push(issue('error', line, `unexpected "${w}" in ${set.kind} ${set.name}`));
    }
  }

  addRule(
    chain: NftChain,
    text: string,
    line: number,
    handle: number | null,
    position: 'start' | null,
  ): void {
    const parsed = parseRuleText(text);
    for (const e of parsed.errors) this.issues.push(issue('error', line, `rule in ${chain.name}: ${e}`));
    const rule: NftRule = {
      index: 0,
      line,
      handle,
      text,
      statements: parsed.statements,
      comment: parsed.comment,
    };
    if (position === 'start') chain.rules.unshift(rule);
    else chain.rules.push(rule);
  }

  /** One `nft -f` command line. */
  command(raw: string, tokens: readonly NftToken[], line: number): void {
    const verb = tokText(tokens[0]);
    const obj = tokText(tokens[1]);
    if (verb === 'list' || verb === 'reset') return;
    let i = 2;
    let family = 'ip';
    if (obj === 'ruleset') {
      if (verb === 'flush') this.tables.length = 0;
      return;
    }
    if (NFT_FAMILIES.has(tokText(tokens[i])) && tokens.length > i + 1 && tokText(tokens[i + 1]) !== '{')
      family = tokText(tokens[i++]);
    const tableName = tokText(tokens[i++]);
    const create = verb === 'add' || verb === 'create' || verb === 'insert' || verb === 'replace';
    if (obj === 'table') {
      if (verb === 'delete' || verb === 'destroy') {
        const idx = this.tables.findIndex((t) => t.family === family && t.name === tableName);
        if (idx >= 0) this.tables.splice(idx, 1);
        else if (verb === 'delete')
          this.issues.push(issue('error', line, `table ${family} ${tableName} does not exist`));
        return;
      }
      const t = this.table(family, tableName, line, create);
      if (t === null) return;
      if (verb === 'flush') {
        for (const c of t.chains.values()) c.rules = [];
        return;
      }
      const open = tokens.findIndex((x) => !x.quoted && x.text === '{');
      if (open >= 0) {
        for (const g of splitSemicolons(tokens.slice(open + 1, -1))) {
          if (tokText(g[0]) === 'comment') t.comment = tokText(g[1]);
          else if (tokText(g[0]) === 'flags')
            t.flags = g
              .slice(1)
              .map((x) => x.text)
              .filter((x) => x !== ',');
        }
      }
      return;
    }
    const t = this.table(
      family,
      tableName,
      line,
      create && obj !== 'rule' && obj !== 'element' ? true : false,
    );
    if (t === null) return;
    const name = tokText(tokens[i++]);
    const missing = (what: string): void => {
      if (verb !== 'destroy')
        this.issues.push(
          issue('error', line, `${what} ${name} does not exist in table ${family} ${tableName}`),
        );
    };
    switch (obj) {
      case 'chain': {
        if (verb === 'delete' || verb === 'destroy') {
          if (!t.chains.delete(name)) missing('chain');
          return;
        }
        if (verb === 'flush') {
          const c = t.chains.get(name);
          if (c === undefined) missing('chain');
          else c.rules = [];
          return;
        }
        const c = t.chains.get(name) ?? newChain(name, line);
        t.chains.set(name, c);
        const open = tokens.findIndex((x, k) => k >= i && !x.quoted && x.text === '{');
        if (open >= 0) this.chainProperties(c, tokens.slice(open + 1, tokens.length - 1), line);
        return;
      }
      case 'set':
      case 'map': {
        if (verb === 'delete' || verb === 'destroy') {
          if (!t.sets.delete(name)) missing(obj);
          return;
        }
        if (verb === 'flush') {
          const s = t.sets.get(name);
          if (s === undefined) missing(obj);
          else s.elements = [];
          return;
        }
        const s = t.sets.get(name) ?? newSet(obj, name, line);
        t.sets.set(name, s);
        const open = tokens.findIndex((x, k) => k >= i && !x.quoted && x.text === '{');
        if (open >= 0) this.setProperties(s, tokens.slice(open + 1, tokens.length - 1), line);
        return;
      }
      case 'counter':
        if (verb === 'delete' || verb === 'destroy') {
          if (!t.counters.delete(name)) missing('counter');
        } else if (!t.counters.has(name)) t.counters.set(name, { name, packets: 0, bytes: 0, line });
        return;
      case 'element': {
        const s = t.sets.get(name);
        if (s === undefined) {
          missing('set');
          return;
        }
        const open = tokens.findIndex((x, k) => k >= i && !x.quoted && x.text === '{');
        const close = open < 0 ? -1 : matchingBrace(tokens, open);
        if (close < 0) {
          this.issues.push(issue('error', line, `element command without { … }`));
          return;
        }
        const { set: parsed, errors } = parseElementTokens(tokens, open, close);
        for (const e of errors) this.issues.push(issue('error', line, `${name}: ${e}`));
        const elems = elementsFromExpr(parsed, line);
        const index = this.elementIndex(s);
        if (verb === 'delete' || verb === 'destroy') {
          for (const el of elems) {
            const k = el.key.join(' . ');
            const idx = index.get(k);
            if (idx !== undefined) {
              s.elements.splice(idx, 1);
              this.elementIndexes.delete(s);
            } else if (verb === 'delete')
              this.issues.push(issue('error', line, `element ${k} is not in ${name}`));
          }
        } else {
          for (const el of elems) {
            const k = el.key.join(' . ');
            const idx = index.get(k);
            if (idx !== undefined) s.elements[idx] = el;
            else {
              index.set(k, s.elements.length);
              s.elements.push(el);
            }
          }
        }
        return;
      }
      case 'rule': {
        const c = t.chains.get(name);
        if (c === undefined) {
          missing('chain');
          return;
        }
        if (verb === 'delete' || verb === 'destroy') {
          const h = tokText(tokens[i]) === 'handle' ? Number(tokText(tokens[i + 1])) : NaN;
          const idx = c.rules.findIndex((r) => r.handle === h);
          if (idx >= 0) c.rules.splice(idx, 1);
          else this.issues.push(issue('error', line, `rule handle ${String(h)} not found in ${name}`));
          return;
        }
        // The rule text is everything after the chain name (and an optional position/handle).
        const m = /^\s*\S+\s+rule\s+(?:(?:ip|ip6|inet|arp|bridge|netdev)\s+)?\S+\s+\S+\s+(.*)$/.exec(raw);
        let text = (m?.[1] ?? '').trim();
        const pos = /^(?:position|handle|index)\s+\d+\s+(.*)$/.exec(text);
        if (pos !== null) text = pos[1] ?? '';
        if (text === '') {
          this.issues.push(issue('error', line, 'rule command without a rule'));
          return;
        }
        this.addRule(c, text, line, null, verb === 'insert' ? 'start' : null);
        return;
      }
      default:
        this.issues.push(issue('warning', line, `"${verb} ${obj}" is not modelled; skipped`));
    }
  }

  /** Element positions by key, so that long transactions stay linear. */
  private readonly elementIndexes = new WeakMap<NftSet, Map<string, number>>();
  private elementIndex(set: NftSet): Map<string, number> {
    let m = this.elementIndexes.get(set);
    if (m === undefined || m.size !== set.elements.length) {
      m = new Map(set.elements.map((e, i) => [e.key.join(' . '), i]));
      this.elementIndexes.set(set, m);
    }
    return m;
  }

  finish(): void {
    if (this.stack.length > 1)
      this.issues.push(
        issue('error', null, `input ended inside a block (${this.stack.length - 1} unclosed "{")`),
      );
    for (const t of this.tables)
      for (const c of t.chains.values()) c.rules.forEach((r, k) => (r.index = k + 1));
  }
}

/** Brace balance of a line, ignoring quoted text. */
function braceBalance(line: string): number {
  let n = 0;
  let inQuote = false;
  for (const ch of line) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch === '{') n++;
    else if (!inQuote && ch === '}') n--;
  }
  return n;
}

const HANDLE_RE = /\s*#\s*handle\s+(\d+)\s*$/;

/** Parses nft text: `nft list ruleset`/`list table` (with or without `-a`) or `nft -f` transactions. Never throws. */
export function parseNftText(text: string): NftRuleset {
  const p = new TextParser();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    let raw = lines[n] ?? '';
    const lineNo = n + 1;
    let handle: number | null = null;
    const hm = HANDLE_RE.exec(raw);
    if (hm !== null) {
      handle = Number(hm[1]);
      raw = raw.slice(0, hm.index);
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // A line that opens more braces than it closes and is not a block header continues on the next lines.
    let balance = braceBalance(raw);
    const first = trimmed.split(/\s+/)[0] ?? '';
    const isHeader = balance === 1 && trimmed.endsWith('{') && BLOCK_WORDS.has(first);
    if (balance > 0 && !isHeader) {
      while (balance > 0 && n + 1 < lines.length) {
        n++;
        const more = (lines[n] ?? '').replace(HANDLE_RE, '');
        raw += ` ${more}`;
        balance += braceBalance(more);
      }
      if (balance > 0) p.issues.push(issue('error', lineNo, 'unbalanced "{" (input ended)'));
    }
    try {
      p.handleLine(raw, lineNo, handle);
    } catch (e) {
      p.issues.push(
        issue('error', lineNo, `cannot read line: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  }
  p.finish();
  return { format: p.sawCommand ? 'transaction' : 'ruleset', tables: p.tables, issues: p.issues };
}

/** Helper for callers: verdict text of a map element (`goto x`, `drop`). */
export const verdictText = (v: { verdict: NftVerdictName; target: string | null }): string =>
  v.target === null ? v.verdict : `${v.verdict} ${v.target}`;
