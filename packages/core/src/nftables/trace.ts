// Walks a packet through an nftables ruleset the way the kernel does: hooks in order, base chains
// of every table on a hook by priority, jump/goto/return, set and map lookups, numgen branches.
import { finishOutcome, mergeOutcomes } from '../trace/outcomes.js';
import { joinHostPort, parseIp } from '../common/ip.js';
import type {
  TraceAssumption,
  TraceNode,
  TraceOutcome,
  TracePacket,
  TraceResult,
  TraceStep,
  Verdict,
} from '../trace/types.js';
import { renderExpr } from './render.js';
import { findElement } from './set-index.js';
import {
  binop,
  evalSelector,
  keyMatches,
  literalMatches,
  parseNumber,
  type PacketState,
  type RuntimeValue,
} from './trace-values.js';
import type {
  NftChain,
  NftExpr,
  NftRule,
  NftRuleset,
  NftSet,
  NftSetElement,
  NftStatement,
  NftTable,
  NftVerdictName,
} from './types.js';

const baseChainCache = new WeakMap<NftRuleset, Map<string, Array<{ table: NftTable; chain: NftChain }>>>();

interface World extends PacketState {
  probability: number;
  dnat: string | null;
  masquerade: boolean;
  path: TraceStep[];
  assumptions: TraceAssumption[];
  notes: string[];
  affinity: TraceOutcome['affinity'];
  hook: string;
}

type ExitKind = 'accept' | 'drop' | 'reject' | 'return';
interface Exit {
  kind: ExitKind;
  w: World;
}
type End = 'nomatch' | 'next' | ExitKind | 'jump' | 'goto';
interface Pending {
  w: World;
  actions: string[];
}
interface RuleEnd extends Pending {
  end: End;
  target?: string;
}
interface Where {
  table: NftTable;
  chain: NftChain;
  rule: NftRule;
}

const MAX_DEPTH = 64;
const MAX_WORLDS = 4096;
const EPHEMERAL_PORT = 40000;
const HOOK_ORDER_LOCAL = ['output', 'postrouting'];

const tableLabel = (t: NftTable): string => `${t.family} ${t.name}`;
const appliesTo = (t: NftTable, family: 4 | 6): boolean =>
  t.family === 'inet' || (t.family === 'ip' && family === 4) || (t.family === 'ip6' && family === 6);
const hexMark = (n: number): string => `0x${n.toString(16)}`;

/** Literal parts of a set element or anonymous-set member. */
function literalParts(e: NftExpr): string[] | null {
  if (e.kind === 'value') return [e.text];
  if (e.kind === 'concat') {
    const out: string[] = [];
    for (const p of e.parts) {
      if (p.kind !== 'value') return null;
      out.push(p.text);
    }
    return out;
  }
  return null;
}

class Tracer {
  readonly warnings = new Set<string>();
  private worlds = 0;

  constructor(
    private readonly rs: NftRuleset,
    private readonly isLocal: (ip: string) => boolean,
  ) {}

  /** Base chains of every table on `hook`, by priority (ties keep table order). */
  baseChains(hook: string, family: 4 | 6): Array<{ table: NftTable; chain: NftChain }> {
    // Found once per ruleset: kube-proxy's table holds thousands of regular chains.
    let byHook = baseChainCache.get(this.rs);
    if (!byHook) {
      byHook = new Map();
      baseChainCache.set(this.rs, byHook);
    }
    const key = `${hook}/${family}`;
    const cached = byHook.get(key);
    if (cached) return cached;
    const out: Array<{ table: NftTable; chain: NftChain; order: number }> = [];
    for (const t of this.rs.tables) {
      if (!appliesTo(t, family)) continue;
      for (const c of t.chains.values())
        if (c.hook === hook && c.type !== null) out.push({ table: t, chain: c, order: out.length });
    }
    const sorted = out.sort((a, b) => (a.chain.priority ?? 0) - (b.chain.priority ?? 0) || a.order - b.order);
    byHook.set(key, sorted);
    return sorted;
  }

  runHook(worlds: World[], hook: string, done: TraceOutcome[]): World[] {
    let current = worlds.map((w) => ({ ...w, hook: hook.toUpperCase() }));
    for (const { table, chain } of this.baseChains(hook, current[0]?.family ?? 4)) {
      const next: World[] = [];
      for (const w of current) {
        for (const exit of this.runChain(w, table, chain, 0)) {
          if (exit.kind === 'drop' || exit.kind === 'reject')
            done.push(finish(exit.w, exit.kind === 'drop' ? 'DROP' : 'REJECT'));
          else if (exit.kind === 'return' && chain.policy === 'drop') {
            const step: TraceStep = {
              table: tableLabel(table),
              chain: chain.name,
              rule: null,
              text: 'policy drop',
              action: 'policy DROP',
              hook: exit.w.hook,
            };
            done.push(finish({ ...exit.w, path: [...exit.w.path, step] }, 'DROP'));
          } else next.push(exit.w);
        }
      }
      current = next;
    }
    return current;
  }

  runChain(
    start: World,
    table: NftTable,
    chain: NftChain,
    depth: number,
    stack: readonly string[] = [],
  ): Exit[] {
    if (stack.includes(chain.name)) {
      // nft refuses to load jump loops; a dump with one is damaged.
      this.warnings.add(`jump loop through ${chain.name}; treated as return`);
      return [{ kind: 'return', w: start }];
    }
    if (depth > MAX_DEPTH) {
      this.warnings.add(`chain nesting deeper than ${MAX_DEPTH} at ${chain.name}; treated as return`);
      return [{ kind: 'return', w: start }];
    }
    const exits: Exit[] = [];
    let active = [start];
    for (const rule of chain.rules) {
      const nextActive: World[] = [];
      for (const a of active) {
        for (const e of this.evalRule(a, { table, chain, rule })) {
          if (e.end === 'nomatch') {
            nextActive.push(e.w);
            continue;
          }
          const endAction =
            e.end === 'jump' || e.end === 'goto'
              ? `${e.end} ${e.target ?? ''}`
              : e.end === 'next'
                ? null
                : e.end === 'return'
                  ? 'return'
                  : e.end.toUpperCase();
          const actions =
            endAction === null || e.actions.includes(endAction) ? e.actions : [...e.actions, endAction];
          const step: TraceStep = {
            table: tableLabel(table),
            chain: chain.name,
            rule: rule.index,
            text: rule.text,
            action: actions.join('; ') || 'match',
            hook: e.w.hook,
          };
          if (rule.line !== null) step.line = rule.line;
          const w: World = { ...e.w, path: [...e.w.path, step] };
          if (e.end === 'next') nextActive.push(w);
          else if (e.end === 'jump' || e.end === 'goto') {
            const target = table.chains.get(e.target ?? '');
            if (target === undefined) {
              this.warnings.add(
                `${chain.name} rule ${rule.index}: ${e.end} to missing chain ${e.target ?? ''}; treated as continue`,
              );
              nextActive.push(w);
              continue;
            }
            for (const sub of this.runChain(w, table, target, depth + 1, [...stack, chain.name])) {
              if (sub.kind === 'return' && e.end === 'jump') nextActive.push(sub.w);
              else exits.push(sub);
            }
          } else exits.push({ kind: e.end, w });
        }
      }
      active = nextActive;
      if (active.length === 0) break;
    }
    for (const w of active) exits.push({ kind: 'return', w });
    return exits;
  }

  evalRule(w: World, where: Where): RuleEnd[] {
    let pending: Pending[] = [{ w, actions: [] }];
    const ends: RuleEnd[] = [];
    for (const s of where.rule.statements) {
      const next: Pending[] = [];
      for (const p of pending) {
        for (const r of this.statement(p, s, where)) {
          if ('end' in r) ends.push(r);
          else next.push(r);
        }
      }
      pending = next;
      if (pending.length === 0) break;
    }
    for (const p of pending) ends.push({ ...p, end: 'next' });
    return ends;
  }

  /** Forks a world on an undecidable match: matched and not matched, half each. */
  private fork(p: Pending, where: Where, match: string): Array<Pending | RuleEnd> {
    this.worlds += 2;
    if (this.worlds > MAX_WORLDS) {
      this.warnings.add(
        `more than ${MAX_WORLDS} branches; undecidable matches beyond that assumed not matched`,
      );
      return [{ ...p, w: this.assume(p.w, where, match, 'not matched', 1), end: 'nomatch' }];
    }
    return [
      { ...p, w: this.assume(p.w, where, match, 'matched', 0.5) },
      { ...p, w: this.assume(p.w, where, match, 'not matched', 0.5), end: 'nomatch' },
    ];
  }

  private assume(
    w: World,
    where: Where,
    match: string,
    assumed: TraceAssumption['assumed'],
    factor: number,
  ): World {
    const a: TraceAssumption = {
      table: tableLabel(where.table),
      chain: where.chain.name,
      rule: where.rule.index,
      text: where.rule.text,
      match,
      assumed,
    };
    return { ...w, probability: w.probability * factor, assumptions: [...w.assumptions, a] };
  }

  private statement(p: Pending, s: NftStatement, where: Where): Array<Pending | RuleEnd> {
    const w = p.w;
    switch (s.kind) {
      case 'match': {
        const r = this.decide(s.left, s.op, s.right, w, where.table);
        if (r === true) return [p];
        if (r === false) return [{ ...p, end: 'nomatch' }];
        return this.fork(
          p,
          where,
          `${renderExpr(s.left)} ${s.op === 'implicit' ? '' : `${s.op} `}${renderExpr(s.right)}`,
        );
      }
      case 'vmap':
        return this.vmap(p, s.key, s.map, where);
      case 'nat':
        return this.nat(p, s, where);
      case 'masquerade':
        return [{ w: { ...w, masquerade: true }, actions: [...p.actions, 'MASQUERADE'], end: 'accept' }];
      case 'assign': {
        const key =
          s.left.kind === 'meta' && s.left.key === 'mark'
            ? 'mark'
            : s.left.kind === 'ct' && s.left.key === 'mark'
              ? 'ctmark'
              : null;
        const value = key === null ? null : this.numericValue(s.value, w);
        if (key === null || value === null) {
          return [
            {
              w: {
                ...w,
                notes: [
                  ...w.notes,
                  `not modelled, assumed to have no effect: ${renderExpr(s.left)} set ${renderExpr(s.value)}`,
                ],
              },
              actions: [...p.actions, 'set (not modelled)'],
            },
          ];
        }
        return [
          {
            w: { ...w, [key]: value },
            actions: [...p.actions, `${key === 'mark' ? 'MARK' : 'CONNMARK'} set ${hexMark(value)}`],
          },
        ];
      }
      case 'dynset': {
        const set = where.table.sets.get(s.set);
        const timeout = s.timeout ?? set?.timeout ?? 0;
        const affinity = { timeoutSeconds: timeout, key: `@${s.set} { ${renderExpr(s.key)} }` };
        return [{ w: { ...w, affinity }, actions: [...p.actions, `${s.op} @${s.set}`] }];
      }
      case 'counter':
      case 'comment':
        return [p];
      case 'log':
        return [{ ...p, actions: [...p.actions, 'LOG'] }];
      case 'verdict':
        return [this.verdict(p, s.verdict, s.target)];
      case 'unknown':
        return this.fork(p, where, `statement not modelled: ${s.text}`);
    }
  }

  private verdict(p: Pending, verdict: NftVerdictName, target: string | null): RuleEnd {
    switch (verdict) {
      case 'accept':
        return { ...p, actions: [...p.actions, 'ACCEPT'], end: 'accept' };
      case 'drop':
        return { ...p, end: 'drop' };
      case 'reject':
        return { ...p, end: 'reject' };
      case 'return':
        return { ...p, end: 'return' };
      case 'continue':
        return { ...p, end: 'next' };
      case 'queue':
        return {
          w: { ...p.w, notes: [...p.w.notes, 'queued to userspace: assumed accepted'] },
          actions: [...p.actions, 'QUEUE'],
          end: 'accept',
        };
      case 'jump':
      case 'goto':
        return target === null ? { ...p, end: 'next' } : { ...p, end: verdict, target };
    }
  }

  private numericValue(e: NftExpr, w: World): number | null {
    if (e.kind === 'value') return parseNumber(e.text);
    if (e.kind === 'binop') {
      const l = this.numericValue(e.left, w);
      const r = this.numericValue(e.right, w);
      return l === null || r === null ? null : binop(e.op, l, r);
    }
    if (e.kind === 'meta' && e.key === 'mark') return w.mark;
    if (e.kind === 'ct' && e.key === 'mark') return w.ctmark;
    return null;
  }

  private values(e: NftExpr, w: World): RuntimeValue[] {
    const parts = e.kind === 'concat' ? e.parts : [e];
    return parts.map((x) => evalSelector(x, w, this.isLocal));
  }

  /** A set's members matched against key values; dynamic sets hold no entry for a new client. */
  private setLookup(values: RuntimeValue[], set: NftSet): boolean | null {
    const { hit, unknown } = findElement(set, values);
    return hit !== null ? true : unknown ? null : false;
  }

  decide(left: NftExpr, op: string, right: NftExpr, w: World, table: NftTable): boolean | null {
    const values = this.values(left, w);
    if (values.some((v) => v.t === 'absent')) return op === '!=' ? null : false;
    let r: boolean | null;
    if (right.kind === 'setref') {
      const set = table.sets.get(right.name);
      if (set === undefined) {
        this.warnings.add(`set @${right.name} is not in table ${tableLabel(table)}`);
        return null;
      }
      // Sets the data plane fills (affinity) hold no record of a new client, whatever a dump shows.
      r =
        set.flags.includes('dynamic') || (set.flags.includes('timeout') && right.name.startsWith('affinity-'))
          ? false
          : this.setLookup(values, set);
    } else if (right.kind === 'set') {
      r = false;
      for (const el of right.elements) {
        const parts = literalParts(el.value);
        const m = parts === null ? null : keyMatches(values, parts);
        if (m === true) {
          r = true;
          break;
        }
        if (m === null) r = null;
      }
    } else {
      const parts = literalParts(right);
      if (parts === null) return null;
      const v = values[0];
      if ((op === '<' || op === '>' || op === '<=' || op === '>=') && v?.t === 'num') {
        const n = parseNumber(parts[0] ?? '');
        if (n === null) return null;
        return op === '<' ? v.v < n : op === '>' ? v.v > n : op === '<=' ? v.v <= n : v.v >= n;
      }
      r =
        values.length === 1 && v !== undefined && parts.length > 1 && v.t === 'flags'
          ? parts.some((x) => literalMatches(v, x) === true)
          : keyMatches(values, parts);
    }
    if (op === '!=') return r === null ? null : !r;
    return r;
  }

  /** Entries of a map: `@ref` or an inline `{ k : v }`. */
  private mapEntries(map: NftExpr, table: NftTable): Array<{ key: string[]; value: NftExpr }> | null {
    if (map.kind === 'map') {
      return map.entries.map((en) => ({
        key: literalParts(en.key) ?? [renderExpr(en.key)],
        value: en.value,
      }));
    }
    if (map.kind === 'setref') {
      const set = table.sets.get(map.name);
      if (set === undefined) {
        this.warnings.add(`map @${map.name} is not in table ${tableLabel(table)}`);
        return null;
      }
      return set.elements.map((el) => ({ key: el.key, value: elementValue(el) }));
    }
    return null;
  }

  /** Looks `key` up in `map`: one result per branch (numgen gives one per index, 1/N each). */
  private lookup(
    p: Pending,
    key: NftExpr,
    map: NftExpr,
    where: Where,
  ): Array<{ p: Pending; value: NftExpr | null; label: string }> {
    // A plain key into a named map is an indexed lookup: no need to list the map's entries.
    if (key.kind !== 'numgen' && key.kind !== 'unknown' && map.kind === 'setref') {
      const named = where.table.sets.get(map.name);
      const values = this.values(key, p.w);
      if (named !== undefined && !values.some((v) => v.t === 'absent')) {
        const { hit, unknown } = findElement(named, values);
        if (hit !== null) return [{ p, value: elementValue(hit), label: hit.key.join(' . ') }];
        if (!unknown) return [{ p, value: null, label: 'no entry' }];
      }
    }
    const entries = this.mapEntries(map, where.table);
    if (entries === null) return [{ p, value: null, label: 'map unknown' }];
    if (key.kind === 'numgen') {
      const out: Array<{ p: Pending; value: NftExpr | null; label: string }> = [];
      this.worlds += key.mod;
      for (let i = 0; i < key.mod; i++) {
        const n = String(i + key.offset);
        const hit = entries.find((en) => en.key.length === 1 && parseNumber(en.key[0] ?? '') === Number(n));
        const w = { ...p.w, probability: p.w.probability / key.mod };
        out.push({
          p: { w, actions: [...p.actions, `numgen ${n} of ${key.mod} (p=${(1 / key.mod).toFixed(5)})`] },
          value: hit?.value ?? null,
          label: n,
        });
      }
      return out;
    }
    if (key.kind === 'unknown') {
      // A hash (jhash/symhash) or other unmodelled key: every entry, evenly, as an assumption.
      return entries.map((en) => {
        const label = en.key.join(' . ');
        const w = this.assume(
          p.w,
          where,
          `${key.text} = ${label} (not modelled, assumed uniform)`,
          'matched',
          1 / entries.length,
        );
        return {
          p: { w, actions: [...p.actions, `${key.text} = ${label} (assumed)`] },
          value: en.value,
          label,
        };
      });
    }
    const values = this.values(key, p.w);
    if (values.some((v) => v.t === 'absent')) return [{ p, value: null, label: 'no key' }];
    const named = map.kind === 'setref' ? where.table.sets.get(map.name) : undefined;
    if (named !== undefined) {
      const { hit, unknown } = findElement(named, values);
      if (hit !== null) return [{ p, value: elementValue(hit), label: hit.key.join(' . ') }];
      if (!unknown) return [{ p, value: null, label: 'no entry' }];
    }
    let unknown = false;
    for (const en of entries) {
      const m = keyMatches(values, en.key);
      if (m === true) return [{ p, value: en.value, label: en.key.join(' . ') }];
      if (m === null) unknown = true;
    }
    if (unknown) {
      const w = this.assume(
        p.w,
        where,
        `${renderExpr(key)} lookup in ${renderExpr(map).slice(0, 80)}`,
        'not matched',
        1,
      );
      return [{ p: { ...p, w }, value: null, label: 'no entry' }];
    }
    return [{ p, value: null, label: 'no entry' }];
  }

  private vmap(p: Pending, key: NftExpr, map: NftExpr, where: Where): Array<Pending | RuleEnd> {
    return this.lookup(p, key, map, where).map(({ p: q, value, label }) => {
      if (value === null || value.kind !== 'verdict') return { ...q, end: 'nomatch' as const };
      const name = map.kind === 'setref' ? `@${map.name}` : 'vmap';
      return this.verdict(
        { ...q, actions: [...q.actions, `${name} [${label}]`] },
        value.verdict,
        value.target,
      );
    });
  }

  private nat(p: Pending, s: Extract<NftStatement, { kind: 'nat' }>, where: Where): Array<Pending | RuleEnd> {
    if (s.type === 'snat' || s.to === null) {
      return [
        {
          w: { ...p.w, notes: [...p.w.notes, `${s.type} not modelled beyond accepting the packet`] },
          actions: [...p.actions, s.type.toUpperCase()],
          end: 'accept',
        },
      ];
    }
    const targets: Array<{ p: Pending; value: NftExpr | null }> =
      s.to.kind === 'lookup' ? this.lookup(p, s.to.key, s.to.map, where) : [{ p, value: s.to }];
    return targets.map(({ p: q, value }) => {
      const parts = value === null ? null : literalParts(value);
      const addr = parts?.[0];
      if (parts === null || addr === undefined || parseIp(addr) === null)
        return { ...q, end: 'nomatch' as const };
      const port = parts[1] === undefined ? q.w.dport : (parseNumber(parts[1]) ?? q.w.dport);
      const dnat = joinHostPort(addr, port);
      const w: World = { ...q.w, dst: addr, dport: port, dnat, ctDnat: true };
      return { w, actions: [...q.actions, `DNAT ${dnat}`], end: 'accept' as const };
    });
  }
}

/** A map element's value as an expression (verdict or data). */
function elementValue(el: NftSetElement): NftExpr {
  if (el.value === null) return { kind: 'unknown', text: '' };
  if ('verdict' in el.value) return { kind: 'verdict', verdict: el.value.verdict, target: el.value.target };
  if (el.value.data.length === 1) return { kind: 'value', text: el.value.data[0] ?? '' };
  return { kind: 'concat', parts: el.value.data.map((d) => ({ kind: 'value', text: d })) };
}

const finish = (w: World, verdict: Verdict): TraceOutcome => finishOutcome(w, verdict);

/**
 * Traces the first packet of a new connection from a new client through an nftables ruleset:
 * PREROUTING (or OUTPUT for a node-local source) → INPUT or FORWARD → POSTROUTING, every base
 * chain of every table on each hook by priority. `ct state` is `new`; affinity sets hold no
 * entry for the client; undecidable matches fork into assumed branches.
 */
export function traceNftables(rs: NftRuleset, packet: TracePacket, node: TraceNode): TraceResult {
  const warnings: string[] = [];
  const localSet = new Set(
    node.localAddresses
      .map((a) => parseIp(a))
      .filter((x) => x !== null)
      .map((x) => `${x.family}:${x.value}`),
  );
  const isLocal = (ip: string): boolean => {
    const v = parseIp(ip);
    if (v === null) return false;
    if (v.family === 4 && v.value >> 24n === 127n) return true;
    if (v.family === 6 && v.value === 1n) return true;
    return localSet.has(`${v.family}:${v.value}`);
  };
  const srcIp = parseIp(packet.src);
  const dstIp = parseIp(packet.dst);
  if (srcIp === null) warnings.push(`source ${packet.src} is not an IP address`);
  if (dstIp === null) warnings.push(`destination ${packet.dst} is not an IP address`);
  if (srcIp !== null && dstIp !== null && srcIp.family !== dstIp.family)
    warnings.push('source and destination are of different IP families');
  const family = dstIp?.family ?? srcIp?.family ?? 4;
  const startHook = isLocal(packet.src) ? 'OUTPUT' : 'PREROUTING';
  const tracer = new Tracer(rs, isLocal);
  if (!rs.tables.some((t) => appliesTo(t, family) && [...t.chains.values()].some((c) => c.hook !== null))) {
    warnings.push(`no base chains for IPv${family} in the ruleset: nothing filters or rewrites this packet`);
  }
  const start: World = {
    family,
    src: packet.src,
    dst: packet.dst,
    dport: packet.dport,
    sport: packet.sport ?? EPHEMERAL_PORT,
    proto: packet.proto,
    mark: 0,
    ctmark: 0,
    ctDnat: false,
    inInterface: startHook === 'OUTPUT' ? undefined : packet.inInterface,
    outInterface: packet.outInterface,
    probability: 1,
    dnat: null,
    masquerade: false,
    path: [],
    assumptions: [],
    notes: [],
    affinity: null,
    hook: startHook,
  };
  const done: TraceOutcome[] = [];
  const delivered: World[] = [];
  if (startHook === 'OUTPUT') {
    let ws = [start];
    for (const hook of HOOK_ORDER_LOCAL) ws = tracer.runHook(ws, hook, done);
    // Locally addressed packets come back in through INPUT.
    delivered.push(...ws.filter((w) => !isLocal(w.dst)));
    delivered.push(
      ...tracer.runHook(
        ws.filter((w) => isLocal(w.dst)),
        'input',
        done,
      ),
    );
  } else {
    const pre = tracer.runHook([start], 'prerouting', done);
    delivered.push(
      ...tracer.runHook(
        pre.filter((w) => isLocal(w.dst)),
        'input',
        done,
      ),
    );
    const fwd = tracer.runHook(
      pre.filter((w) => !isLocal(w.dst)),
      'forward',
      done,
    );
    delivered.push(...tracer.runHook(fwd, 'postrouting', done));
  }
  const outcomes = mergeOutcomes([...done, ...delivered.map((w) => finish(w, 'ACCEPT'))]);
  for (const w of tracer.warnings) warnings.push(w);
  return { packet: { ...packet, startHook }, outcomes, warnings };
}

export type { RuntimeValue };
