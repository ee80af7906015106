// Turns the words of one nft rule (or set element list) into the statement model.
import { matchingBrace, parseNftDuration, tokenizeNft, type NftToken } from './tokenize.js';
import type {
  NftExpr,
  NftMapEntryExpr,
  NftMatchOp,
  NftSetElementExpr,
  NftStatement,
  NftVerdictName,
} from './types.js';

const PAYLOAD_PROTOCOLS = new Set([
  'ip',
  'ip6',
  'th',
  'tcp',
  'udp',
  'sctp',
  'icmp',
  'icmpv6',
  'ether',
  'arp',
  'vlan',
  'udplite',
  'dccp',
]);
const BARE_META_KEYS = new Set([
  'mark',
  'l4proto',
  'iifname',
  'oifname',
  'iif',
  'oif',
  'nfproto',
  'skuid',
  'skgid',
  'pkttype',
  'iiftype',
  'oiftype',
  'cpu',
  'cgroup',
]);
const FIB_FLAGS = new Set(['saddr', 'daddr', 'mark', 'iif', 'oif']);
const SIMPLE_VERDICTS = new Set(['accept', 'drop', 'continue', 'return']);
/** Words that begin a new statement; an unknown statement stops before the next one. */
const STATEMENT_STARTS = new Set([
  'counter',
  'comment',
  'accept',
  'drop',
  'reject',
  'return',
  'continue',
  'jump',
  'goto',
  'queue',
  'masquerade',
  'dnat',
  'snat',
  'redirect',
  'update',
  'log',
  'limit',
  'notrack',
  'meta',
  'ct',
  'fib',
  'numgen',
  ...PAYLOAD_PROTOCOLS,
  ...BARE_META_KEYS,
]);
const OPERATORS: Readonly<Record<string, NftMatchOp>> = {
  '==': '==',
  eq: '==',
  '!=': '!=',
  ne: '!=',
  '<': '<',
  lt: '<',
  '>': '>',
  gt: '>',
  '<=': '<=',
  le: '<=',
  '>=': '>=',
  ge: '>=',
};
const BINOPS: Readonly<Record<string, '&' | '|' | '^' | '<<' | '>>'>> = {
  '&': '&',
  and: '&',
  '|': '|',
  or: '|',
  '^': '^',
  xor: '^',
  '<<': '<<',
  lshift: '<<',
  '>>': '>>',
  rshift: '>>',
};

/** Thrown inside the parser only; callers get it back as an error message. */
class SyntaxProblem extends Error {}

export interface ParsedRule {
  statements: NftStatement[];
  comment: string | null;
  errors: string[];
}

/** Parses the statement part of a rule (`ip daddr @x jump y comment "z"`). Never throws. */
export function parseRuleText(text: string): ParsedRule {
  const { tokens, unterminatedQuote } = tokenizeNft(text);
  const p = new RuleParser(tokens, 0, tokens.length);
  const result = p.parseStatements();
  if (unterminatedQuote) result.errors.push('unterminated quoted string');
  return result;
}

/** Parses `{ … }` element lists (set or map) given as tokens, brace to brace inclusive. */
export function parseElementTokens(
  tokens: readonly NftToken[],
  open: number,
  close: number,
): { set: NftExpr; errors: string[] } {
  const p = new RuleParser(tokens, open, close + 1);
  try {
    return { set: p.parseBraced(true), errors: [] };
  } catch (e) {
    return { set: { kind: 'set', elements: [] }, errors: [e instanceof Error ? e.message : String(e)] };
  }
}

export class RuleParser {
  constructor(
    private readonly tokens: readonly NftToken[],
    private pos: number,
    private readonly end: number,
  ) {}

  private peek(offset = 0): NftToken | undefined {
    const i = this.pos + offset;
    return i < this.end ? this.tokens[i] : undefined;
  }
  private peekText(offset = 0): string | undefined {
    const t = this.peek(offset);
    return t === undefined ? undefined : t.quoted ? `"${t.text}"` : t.text;
  }
  private next(): NftToken {
    const t = this.peek();
    if (t === undefined) throw new SyntaxProblem('unexpected end of rule');
    this.pos++;
    return t;
  }
  private expectWord(): string {
    return this.next().text;
  }
  private atStatementStart(): boolean {
    const t = this.peek();
    return t === undefined || (!t.quoted && STATEMENT_STARTS.has(t.text));
  }

  parseStatements(): ParsedRule {
    const statements: NftStatement[] = [];
    const errors: string[] = [];
    let comment: string | null = null;
    while (this.pos < this.end) {
      const start = this.pos;
      try {
        const s = this.parseStatement();
        if (s.kind === 'comment') comment = s.text;
        statements.push(s);
      } catch (e) {
        // Keep what could not be read as an unknown statement up to the next statement word.
        this.pos = start + 1;
        while (!this.atStatementStart()) this.pos++;
        const text = joinTokens(this.tokens.slice(start, this.pos));
        errors.push(`${e instanceof Error ? e.message : String(e)} in "${text}"`);
        statements.push({ kind: 'unknown', text });
      }
    }
    return { statements, comment, errors };
  }

  private parseStatement(): NftStatement {
    const t = this.peek();
    if (t === undefined) throw new SyntaxProblem('unexpected end of rule');
    const w = t.quoted ? '' : t.text;
    if (w === 'counter') return this.parseCounter();
    if (w === 'comment') {
      this.pos++;
      return { kind: 'comment', text: this.next().text };
    }
    if (SIMPLE_VERDICTS.has(w)) {
      this.pos++;
      return { kind: 'verdict', verdict: w as NftVerdictName, target: null, args: [] };
    }
    if (w === 'jump' || w === 'goto') {
      this.pos++;
      return { kind: 'verdict', verdict: w, target: this.expectWord(), args: [] };
    }
    if (w === 'reject' || w === 'queue') {
      this.pos++;
      const args: string[] = [];
      // `reject with tcp reset`, `reject with icmp type host-unreachable`, `reject with icmpx admin-prohibited`
      if (w === 'reject' && this.peekText() === 'with') {
        args.push(this.expectWord(), this.expectWord());
        if (this.peekText() === 'type') args.push(this.expectWord());
        if (this.peek() !== undefined && (!this.atStatementStart() || this.peekText() === 'reset'))
          args.push(this.expectWord());
      }
      while (!this.atStatementStart()) args.push(this.expectWord());
      return { kind: 'verdict', verdict: w, target: null, args };
    }
    if (w === 'masquerade') {
      this.pos++;
      return { kind: 'masquerade', flags: this.parseFlagWords() };
    }
    if (w === 'dnat' || w === 'snat') return this.parseNat(w);
    if ((w === 'update' || w === 'add' || w === 'delete') && this.peek(1)?.text.startsWith('@') === true)
      return this.parseDynset(w);
    if (
      PAYLOAD_PROTOCOLS.has(w) ||
      BARE_META_KEYS.has(w) ||
      w === 'meta' ||
      w === 'ct' ||
      w === 'fib' ||
      w === 'numgen'
    ) {
      return this.parseExpressionStatement();
    }
    if (w === 'log') {
      const start = this.pos;
      this.pos++;
      while (!this.atStatementStart()) this.pos++;
      return { kind: 'log', text: joinTokens(this.tokens.slice(start, this.pos)) };
    }
    // limit, notrack, redirect, … : not modelled.
    const start = this.pos;
    this.pos++;
    while (!this.atStatementStart()) this.pos++;
    return { kind: 'unknown', text: joinTokens(this.tokens.slice(start, this.pos)) };
  }

  private parseCounter(): NftStatement {
    this.pos++;
    let name: string | null = null;
    let packets: number | null = null;
    let bytes: number | null = null;
    for (;;) {
      const w = this.peekText();
      if (w === 'name') {
        this.pos++;
        name = this.next().text;
      } else if (w === 'packets') {
        this.pos++;
        packets = Number(this.expectWord());
      } else if (w === 'bytes') {
        this.pos++;
        bytes = Number(this.expectWord());
      } else break;
    }
    return { kind: 'counter', name, packets, bytes };
  }

  /** `fully-random,persistent` or `fully-random persistent`. */
  private parseFlagWords(): string[] {
    const flags: string[] = [];
    for (;;) {
      const w = this.peekText();
      if (w === 'fully-random' || w === 'random' || w === 'persistent') {
        flags.push(w);
        this.pos++;
        if (this.peekText() === ',') this.pos++;
      } else if (w === 'to') {
        // masquerade to :port
        this.pos++;
        flags.push(`to ${this.expectWord()}`);
      } else return flags;
    }
  }

  private parseNat(type: 'dnat' | 'snat'): NftStatement {
    this.pos++;
    let family: string | null = null;
    let addrPort = false;
    if (this.peekText() === 'ip' || this.peekText() === 'ip6') family = this.expectWord();
    if (this.peekText() === 'addr' && this.peekText(1) === '.' && this.peekText(2) === 'port') {
      this.pos += 3;
      addrPort = true;
    }
    if (this.peekText() !== 'to') throw new SyntaxProblem(`${type} without "to"`);
    this.pos++;
    const first = this.peekText();
    let to: NftExpr;
    if (first === 'numgen' || first === 'jhash' || first === 'symhash' || this.peekIsSelector())
      to = this.parseExpr(false);
    else to = this.parseValue();
    if (to.kind === 'value') to = splitAddrPort(to.text);
    return { kind: 'nat', type, family, addrPort, to, flags: this.parseFlagWords() };
  }

  private parseDynset(op: 'update' | 'add' | 'delete'): NftStatement {
    this.pos++;
    const set = this.expectWord().slice(1);
    if (this.peekText() !== '{') throw new SyntaxProblem(`${op} @${set} without { key }`);
    const close = matchingBrace(this.tokens, this.pos);
    if (close < 0 || close >= this.end) throw new SyntaxProblem('unbalanced braces');
    const inner = new RuleParser(this.tokens, this.pos + 1, close);
    const key = inner.parseExpr(false);
    let timeout: number | null = null;
    if (inner.peekText() === 'timeout') {
      inner.pos++;
      timeout = parseNftDuration(inner.expectWord());
    }
    this.pos = close + 1;
    return { kind: 'dynset', op, set, key, timeout };
  }

  private parseExpressionStatement(): NftStatement {
    const left = this.parseExpr(false);
    const w = this.peekText();
    if (w === 'vmap') {
      this.pos++;
      return { kind: 'vmap', key: left, map: this.parseValue() };
    }
    if (w === 'set') {
      this.pos++;
      return { kind: 'assign', left, value: this.parseExpr(false) };
    }
    if (w !== undefined && Object.hasOwn(OPERATORS, w)) {
      this.pos++;
      return { kind: 'match', left, op: OPERATORS[w] ?? '==', right: this.parseRhs() };
    }
    if (this.peek() === undefined) throw new SyntaxProblem('expression without a value to compare');
    return { kind: 'match', left, op: 'implicit', right: this.parseRhs() };
  }

  /** Right-hand side of a match: `@set`, `{ … }`, a value, `a . b`, or a flag list `new,established`. */
  private parseRhs(): NftExpr {
    const v = this.parseValue();
    if (this.peekText() === ',' && v.kind === 'value') {
      const elements: NftSetElementExpr[] = [{ value: v, comment: null, timeout: null }];
      while (this.peekText() === ',') {
        this.pos++;
        elements.push({ value: this.parseValuePrimary(), comment: null, timeout: null });
      }
      return { kind: 'set', elements };
    }
    return v;
  }

  /** A literal, possibly concatenated (`10.0.0.1 . 80`). */
  parseValue(): NftExpr {
    const first = this.parseValuePrimary();
    if (this.peekText() !== '.') return first;
    const parts = [first];
    while (this.peekText() === '.') {
      this.pos++;
      parts.push(this.parseValuePrimary());
    }
    return { kind: 'concat', parts };
  }

  private parseValuePrimary(): NftExpr {
    const t = this.peek();
    if (t === undefined) throw new SyntaxProblem('missing value');
    if (!t.quoted && t.text === '{') return this.parseBraced(false);
    if (!t.quoted && (t.text === '}' || t.text === ',' || t.text === ';' || t.text === ':'))
      throw new SyntaxProblem(`unexpected "${t.text}"`);
    this.pos++;
    if (!t.quoted && t.text.startsWith('@')) return { kind: 'setref', name: t.text.slice(1) };
    return { kind: 'value', text: t.text };
  }

  /** `{ … }` as an anonymous set or, when entries have `:`, an inline map. */
  parseBraced(elementList: boolean): NftExpr {
    const open = this.pos;
    const close = matchingBrace(this.tokens, open);
    if (close < 0 || close >= this.end) throw new SyntaxProblem('unbalanced braces');
    const chunks: Array<[number, number]> = [];
    let depth = 0;
    let from = open + 1;
    for (let i = open + 1; i < close; i++) {
      const tk = this.tokens[i];
      if (tk === undefined || tk.quoted) continue;
      if (tk.text === '{') depth++;
      else if (tk.text === '}') depth--;
      else if (tk.text === ',' && depth === 0) {
        chunks.push([from, i]);
        from = i + 1;
      }
    }
    chunks.push([from, close]);
    this.pos = close + 1;
    const elements: NftSetElementExpr[] = [];
    const entries: NftMapEntryExpr[] = [];
    for (const [a, b] of chunks) {
      if (a >= b) continue;
      const sub = new RuleParser(this.tokens, a, b);
      const key = sub.parseValue();
      let comment: string | null = null;
      let timeout: number | null = null;
      for (;;) {
        const w = sub.peekText();
        if (w === 'comment') {
          sub.pos++;
          comment = sub.next().text;
        } else if (w === 'timeout' || w === 'expires') {
          sub.pos++;
          const d = parseNftDuration(sub.expectWord());
          if (w === 'timeout') timeout = d;
        } else if (w === 'counter') {
          sub.parseCounter();
        } else break;
      }
      if (sub.peekText() === ':') {
        sub.pos++;
        const value = sub.parseMapValue();
        entries.push({ key, value, comment });
      } else {
        elements.push({ value: key, comment, timeout });
      }
      if (sub.pos < sub.end) throw new SyntaxProblem(`unexpected "${sub.peekText() ?? ''}" in element list`);
    }
    if (entries.length > 0) {
      if (elements.length > 0) throw new SyntaxProblem('mixed set and map elements');
      return { kind: 'map', entries };
    }
    void elementList;
    return { kind: 'set', elements };
  }

  private parseMapValue(): NftExpr {
    const w = this.peekText();
    if (w === 'goto' || w === 'jump') {
      this.pos++;
      return { kind: 'verdict', verdict: w, target: this.expectWord() };
    }
    if (w !== undefined && (SIMPLE_VERDICTS.has(w) || w === 'reject')) {
      this.pos++;
      return { kind: 'verdict', verdict: w as NftVerdictName, target: null };
    }
    return this.parseValue();
  }

  /** A selector expression: payload/meta/ct/fib/numgen, binops, concatenations, `map` lookups. */
  parseExpr(valueFallback: boolean): NftExpr {
    const parts = [this.parseBinop(valueFallback)];
    while (this.peekText() === '.') {
      this.pos++;
      parts.push(this.parseBinop(valueFallback));
    }
    let e: NftExpr = parts.length === 1 && parts[0] !== undefined ? parts[0] : { kind: 'concat', parts };
    if (this.peekText() === 'map') {
      this.pos++;
      e = { kind: 'lookup', key: e, map: this.parseValue() };
    }
    return e;
  }

  private parseBinop(valueFallback: boolean): NftExpr {
    let left = this.parseSelector(valueFallback);
    for (;;) {
      const w = this.peekText();
      const op = w === undefined ? undefined : BINOPS[w];
      if (op === undefined) return left;
      this.pos++;
      const right = this.peekIsSelector() ? this.parseSelector(false) : this.parseValuePrimary();
      left = { kind: 'binop', op, left, right };
    }
  }

  private peekIsSelector(): boolean {
    const t = this.peek();
    if (t === undefined || t.quoted) return false;
    return (
      PAYLOAD_PROTOCOLS.has(t.text) ||
      BARE_META_KEYS.has(t.text) ||
      ['meta', 'ct', 'fib', 'numgen'].includes(t.text)
    );
  }

  private parseSelector(valueFallback: boolean): NftExpr {
    const t = this.peek();
    if (t === undefined) throw new SyntaxProblem('missing expression');
    const w = t.quoted ? '' : t.text;
    if (PAYLOAD_PROTOCOLS.has(w)) {
      this.pos++;
      return { kind: 'payload', protocol: w, field: this.expectWord() };
    }
    if (w === 'meta') {
      this.pos++;
      return { kind: 'meta', key: this.expectWord() };
    }
    if (BARE_META_KEYS.has(w)) {
      this.pos++;
      return { kind: 'meta', key: w };
    }
    if (w === 'ct') {
      this.pos++;
      let dir: string | undefined;
      if (this.peekText() === 'original' || this.peekText() === 'reply') dir = this.expectWord();
      const key = this.expectWord();
      return dir === undefined ? { kind: 'ct', key } : { kind: 'ct', key, dir };
    }
    if (w === 'fib') {
      this.pos++;
      const flags = [this.expectWord()];
      while (this.peekText() === '.' && FIB_FLAGS.has(this.peekText(1) ?? '')) {
        this.pos++;
        flags.push(this.expectWord());
      }
      return { kind: 'fib', flags, result: this.expectWord() };
    }
    if (w === 'numgen') {
      this.pos++;
      const mode = this.expectWord();
      if (this.expectWord() !== 'mod') throw new SyntaxProblem('numgen without mod');
      const mod = Number(this.expectWord());
      let offset = 0;
      if (this.peekText() === 'offset') {
        this.pos++;
        offset = Number(this.expectWord());
      }
      if (!Number.isInteger(mod) || mod <= 0) throw new SyntaxProblem('numgen mod is not a positive integer');
      return { kind: 'numgen', mode, mod, offset };
    }
    if (w === 'jhash' || w === 'symhash') {
      const start = this.pos;
      this.pos++;
      while (this.peek() !== undefined && this.peekText() !== 'mod') this.pos++;
      if (this.peekText() === 'mod') this.pos += 2;
      if (this.peekText() === 'offset') this.pos += 2;
      return { kind: 'unknown', text: joinTokens(this.tokens.slice(start, this.pos)) };
    }
    if (valueFallback || w.startsWith('@') || w === '{') return this.parseValuePrimary();
    throw new SyntaxProblem(`unknown expression "${t.text}"`);
  }
}

/** `10.0.0.1:80` / `[fd00::1]:80` → `addr . port`; anything else stays a value. */
export function splitAddrPort(text: string): NftExpr {
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  if (v6 !== null)
    return {
      kind: 'concat',
      parts: [
        { kind: 'value', text: v6[1] ?? '' },
        { kind: 'value', text: v6[2] ?? '' },
      ],
    };
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(text);
  if (v4 !== null)
    return {
      kind: 'concat',
      parts: [
        { kind: 'value', text: v4[1] ?? '' },
        { kind: 'value', text: v4[2] ?? '' },
      ],
    };
  const bracket = /^\[([0-9a-fA-F:.]+)\]$/.exec(text);
  if (bracket !== null) return { kind: 'value', text: bracket[1] ?? '' };
  return { kind: 'value', text };
}

const joinTokens = (tokens: readonly NftToken[]): string =>
  tokens.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
