import type { ParseIssue } from '../common/issues.js';

/**
 * An expression inside a rule, set element or map value.
 * `value` is a literal as written (`10.0.0.0/8`, `tcp`, `80`, `0x4000`, `10.0.0.1-10.0.0.9`).
 */
export type NftExpr =
  | { kind: 'payload'; protocol: string; field: string }
  | { kind: 'meta'; key: string }
  | { kind: 'ct'; key: string; dir?: string }
  | { kind: 'fib'; flags: string[]; result: string }
  | { kind: 'numgen'; mode: string; mod: number; offset: number }
  | { kind: 'value'; text: string }
  | { kind: 'concat'; parts: NftExpr[] }
  /** Anonymous set `{ a, b }`. */
  | { kind: 'set'; elements: NftSetElementExpr[] }
  /** Inline map `{ k : v, … }` (values are values or verdicts). */
  | { kind: 'map'; entries: NftMapEntryExpr[] }
  /** `@name`. */
  | { kind: 'setref'; name: string }
  /** `key map <map>`: looks the key up in a map (literal or `@ref`). */
  | { kind: 'lookup'; key: NftExpr; map: NftExpr }
  | { kind: 'binop'; op: '&' | '|' | '^' | '<<' | '>>'; left: NftExpr; right: NftExpr }
  | { kind: 'verdict'; verdict: NftVerdictName; target: string | null }
  /** Something the parser does not model; the tracer must not guess its value. */
  | { kind: 'unknown'; text: string };

export interface NftSetElementExpr {
  value: NftExpr;
  comment: string | null;
  timeout: number | null;
}

export interface NftMapEntryExpr {
  key: NftExpr;
  value: NftExpr;
  comment: string | null;
}

export type NftVerdictName = 'accept' | 'drop' | 'reject' | 'return' | 'continue' | 'jump' | 'goto' | 'queue';

export type NftMatchOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'implicit';

/** One statement of a rule, in order. */
export type NftStatement =
  /** `left [op] right`; `implicit` means no operator was written (equality or set membership). */
  | { kind: 'match'; left: NftExpr; op: NftMatchOp; right: NftExpr }
  | { kind: 'verdict'; verdict: NftVerdictName; target: string | null; args: string[] }
  /** `key vmap @map` / `key vmap { … }`. */
  | { kind: 'vmap'; key: NftExpr; map: NftExpr }
  /** `dnat|snat [ip|ip6] [addr . port] to <expr>`; `to` yields an address or an `addr . port` concat. */
  | {
      kind: 'nat';
      type: 'dnat' | 'snat';
      family: string | null;
      addrPort: boolean;
      to: NftExpr | null;
      flags: string[];
    }
  | { kind: 'masquerade'; flags: string[] }
  /** `<left> set <value>`: `meta mark set meta mark | 0x4000`, `mark set mark or 0x4000`, `ct mark set …`. */
  | { kind: 'assign'; left: NftExpr; value: NftExpr }
  /** `update @set { key }` / `add @set { key }`. */
  | { kind: 'dynset'; op: 'update' | 'add' | 'delete'; set: string; key: NftExpr; timeout: number | null }
  | { kind: 'counter'; name: string | null; packets: number | null; bytes: number | null }
  | { kind: 'comment'; text: string }
  /** `log …`: has no effect on the packet. */
  | { kind: 'log'; text: string }
  | { kind: 'unknown'; text: string };

export interface NftRule {
  /** 1-based position in its chain. */
  index: number;
  /** 1-based line in the dump, or null (JSON). */
  line: number | null;
  /** JSON path for JSON input. */
  path?: string;
  handle: number | null;
  /** The rule as in the dump (without `# handle`); rendered from the model for JSON. */
  text: string;
  statements: NftStatement[];
  comment: string | null;
}

export interface NftChain {
  name: string;
  /** `filter`, `nat`, `route` for base chains; null for regular chains. */
  type: string | null;
  hook: string | null;
  /** Numeric priority (named priorities resolved), null for regular chains. */
  priority: number | null;
  /** The priority as written (`dstnat`, `dstnat - 10`, `-110`). */
  priorityText: string | null;
  policy: 'accept' | 'drop' | null;
  comment: string | null;
  line: number | null;
  handle: number | null;
  rules: NftRule[];
}

export interface NftSetElement {
  /** Key parts (one per concatenated type), literals as written (`10.0.0.1`, `tcp`, `80`, `10.0.0.0/8`). */
  key: string[];
  /** Map value: a verdict or data parts; null for sets. */
  value: { verdict: NftVerdictName; target: string | null } | { data: string[] } | null;
  comment: string | null;
  timeout: number | null;
  line: number | null;
}

export interface NftSet {
  kind: 'set' | 'map';
  name: string;
  /** Key types, one per concatenated part (`ipv4_addr`, `inet_proto`, `inet_service`). */
  keyType: string[];
  /** `verdict` for verdict maps, the data type(s) for data maps, null for sets. */
  dataType: string | null;
  flags: string[];
  /** Default element timeout in seconds. */
  timeout: number | null;
  comment: string | null;
  elements: NftSetElement[];
  line: number | null;
  handle: number | null;
}

export interface NftCounter {
  name: string;
  packets: number;
  bytes: number;
  line: number | null;
}

export interface NftTable {
  family: string;
  name: string;
  comment: string | null;
  flags: string[];
  line: number | null;
  handle: number | null;
  chains: Map<string, NftChain>;
  /** Sets and maps by name. */
  sets: Map<string, NftSet>;
  counters: Map<string, NftCounter>;
}

/**
 * What the input looked like: `ruleset` (`nft list ruleset` / `nft list table`, maybe `-a`),
 * `transaction` (`nft -f` commands such as kube-proxy's `add rule ip kube-proxy …`), `json` (`nft -j`).
 */
export type NftFormat = 'ruleset' | 'transaction' | 'json';

export interface NftRuleset {
  format: NftFormat;
  tables: NftTable[];
  issues: ParseIssue[];
}

/** Named base-chain priorities (ip/ip6/inet families). */
export const NFT_NAMED_PRIORITIES: Readonly<Record<string, number>> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};
