import type { ParseIssue } from '../common/issues.js';

/** Packet and byte counters as `iptables-save -c` prints them (`[packets:bytes]`). */
export interface Counters {
  packets: number;
  bytes: number;
}

/**
 * One option of a match or target: `--dport 80` is `{ name: 'dport', args: ['80'] }`,
 * `! --ctstate NEW` is `{ name: 'ctstate', negated: true, args: ['NEW'] }`.
 * Builtin matches use their long name: `-s` → `source`, `-d` → `destination`,
 * `-p` → `protocol`, `-i` → `in-interface`, `-o` → `out-interface`, `-f` → `fragment`.
 */
export interface RuleOption {
  name: string;
  negated: boolean;
  args: string[];
}

/** A match: `module` is '' for the builtin matches, else the `-m` module name (`tcp`, `comment`, …). */
export interface RuleMatch {
  module: string;
  options: RuleOption[];
  /** true for a protocol module loaded by `-p tcp` alone (`--dport` with no `-m tcp`). */
  implicit?: boolean;
}

export interface RuleTarget {
  /** `DNAT`, `KUBE-SVC-…`, `ACCEPT`, … */
  name: string;
  /** true for `-g` (goto), false for `-j` (jump). */
  goto: boolean;
  options: RuleOption[];
}

export interface IptablesRule {
  table: string;
  chain: string;
  /** 1-based position in its chain. */
  index: number;
  /** 1-based line in the dump. */
  line: number;
  /** The rule exactly as in the dump, in `-A CHAIN …` form (counters prefix removed). */
  text: string;
  counters: Counters | null;
  matches: RuleMatch[];
  /** null when the rule has no `-j`/`-g` (it only counts packets). */
  target: RuleTarget | null;
  /** The first `-m comment --comment` value, unquoted, for convenience. */
  comment: string | null;
}

export interface IptablesChain {
  name: string;
  /** INPUT, OUTPUT, FORWARD, PREROUTING, POSTROUTING. */
  builtin: boolean;
  /** Policy of a builtin chain (`ACCEPT`/`DROP`), null for user chains. */
  policy: string | null;
  counters: Counters | null;
  /** Line of the `:CHAIN` declaration, or null when the chain was only referenced by rules. */
  line: number | null;
  rules: IptablesRule[];
}

export interface IptablesTable {
  name: string;
  /** Line of the `*table` header, or null (e.g. `iptables -S` output, which has no headers). */
  line: number | null;
  /** Chains in the order they were declared / first seen. */
  chains: Map<string, IptablesChain>;
  /** Whether the table was closed by `COMMIT`. */
  committed: boolean;
}

/**
 * What a dump looked like:
 * - `save`: `iptables-save` output (`*table`, `:CHAIN POLICY [p:b]`, rules, `COMMIT`);
 * - `restore`: kube-proxy's restore input (`:CHAIN - [0:0]` only for its own chains);
 * - `spec`: `iptables -S` / `iptables -t nat -S` output (`-P`, `-N`, `-A` lines, no headers).
 */
export type IptablesFormat = 'save' | 'restore' | 'spec';

export interface IptablesRuleset {
  kind: 'iptables';
  /** 4 for iptables, 6 for ip6tables, null when nothing in the dump tells. */
  family: 4 | 6 | null;
  format: IptablesFormat;
  hasCounters: boolean;
  tables: Map<string, IptablesTable>;
  /** Errors and warnings with line numbers; a damaged dump still yields what could be read. */
  issues: ParseIssue[];
}
