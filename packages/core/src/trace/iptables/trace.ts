import { parseIp } from '../../common/ip.js';
import type { IptablesChain, IptablesRule, IptablesRuleset } from '../../iptables/types.js';
import type { TraceNode, TraceOutcome, TracePacket, TraceResult, TraceStep, Verdict } from '../types.js';
import { finishOutcome, mergeOutcomes } from '../outcomes.js';
import { LocalAddresses } from './addresses.js';
import { candidateRules } from './chain-index.js';
import { withKubeProxyHooks } from './kube-hooks.js';
import { evalRule, type MatchContext } from './matches.js';
import { applyTarget } from './targets.js';
import { forkWorld, type World } from './world.js';

/** A virtual-server lookup (IPVS) run where the kernel runs it; see `traceIptables` options. */
export interface IpvsHook {
  (packet: { src: string; dst: string; dport: number; proto: string }): {
    label: string;
    choices: Array<{ address: string; port: number; probability: number }>;
    persistenceSeconds: number | null;
    explanation: string;
  } | null;
}

export interface IptablesTraceOptions {
  /** ipset membership from an `ipset save` dump; `-m set` is an unknown match without it. */
  ipset?: MatchContext['ipset'];
  /** IPVS virtual servers: looked up at LOCAL_IN / LOCAL_OUT like the kernel's ip_vs hooks. */
  ipvs?: IpvsHook;
  /** Give up exploring after this many branches (default 4096). */
  maxBranches?: number;
}

/** Tables of each hook in the kernel's priority order (raw, mangle, nat DNAT, filter, security, nat SNAT). */
const HOOK_TABLES: Record<string, string[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'security', 'nat'],
  FORWARD: ['mangle', 'filter', 'security'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
  POSTROUTING: ['mangle', 'nat'],
};

const MAX_DEPTH = 64;
const EPHEMERAL_PORT = 40000;

type VerdictExit = { kind: 'verdict'; verdict: Verdict; w: World };
type ChainExit = VerdictExit | { kind: 'return'; w: World };

class Walker {
  readonly #ctx: MatchContext;
  readonly #localAddress: string | null;
  #branches = 0;
  readonly #maxBranches: number;
  readonly warnings = new Set<string>();

  constructor(
    readonly ruleset: IptablesRuleset,
    ctx: MatchContext,
    localAddress: string | null,
    maxBranches: number,
  ) {
    this.#ctx = ctx;
    this.#localAddress = localAddress;
    this.#maxBranches = maxBranches;
  }

  /** Runs a builtin chain of one table for the current hook; falls back to its policy. */
  runHookChain(w: World, table: string, chainName: string): VerdictExit[] {
    const chain = this.ruleset.tables.get(table)?.chains.get(chainName);
    if (!chain) return [{ kind: 'verdict', verdict: 'ACCEPT', w }];
    const exits: VerdictExit[] = [];
    for (const exit of this.#walk(w, table, chain, 0)) {
      if (exit.kind === 'verdict') {
        exits.push(exit);
        continue;
      }
      const policy = chain.policy === 'DROP' ? 'DROP' : 'ACCEPT';
      exit.w.path.push(
        step(exit.w, table, chainName, null, `:${chainName} ${chain.policy ?? 'ACCEPT'}`, `policy ${policy}`),
      );
      exits.push({ kind: 'verdict', verdict: policy, w: exit.w });
    }
    return exits;
  }

  #walk(start: World, table: string, chain: IptablesChain, depth: number): ChainExit[] {
    if (depth > MAX_DEPTH) {
      this.warnings.add(
        `jumps nest deeper than ${MAX_DEPTH} chains at ${table} ${chain.name}: a loop? The walk stops there.`,
      );
      return [{ kind: 'return', w: start }];
    }
    const rules = candidateRules(chain, start.dstIp, start.dport);
    return this.#walkFrom(start, table, chain, rules, 0, depth);
  }

  #walkFrom(
    w: World,
    table: string,
    chain: IptablesChain,
    rules: IptablesRule[],
    from: number,
    depth: number,
  ): ChainExit[] {
    const exits: ChainExit[] = [];
    let current: World | null = w;
    for (let i = from; i < rules.length && current; i++) {
      const rule = rules[i];
      if (!rule) break;
      const branches = evalRule(rule, current, this.#ctx);
      const [only] = branches;
      if (branches.length === 1 && only && !only.matched) continue;
      const parent: World = current;
      current = null;
      for (const b of branches) {
        const fork = branches.length === 1 ? parent : this.#fork(parent, parent.probability * b.factor);
        if (b.assumption) {
          fork.assumptions.push({
            table,
            chain: chain.name,
            rule: rule.index,
            text: rule.text,
            ...b.assumption,
          });
        }
        if (!b.matched) {
          if (current === null) current = fork;
          else exits.push(...this.#walkFrom(fork, table, chain, rules, i + 1, depth));
          continue;
        }
        for (const r of this.#applyRule(fork, table, chain, rule, b.chance, depth)) {
          if (r.kind === 'continue') exits.push(...this.#walkFrom(r.w, table, chain, rules, i + 1, depth));
          else exits.push(r);
        }
      }
    }
    if (current) exits.push({ kind: 'return', w: current });
    return exits;
  }

  #applyRule(
    w: World,
    table: string,
    chain: IptablesChain,
    rule: IptablesRule,
    chance: string | undefined,
    depth: number,
  ): Array<ChainExit | { kind: 'continue'; w: World }> {
    const note = chance ? ` (${chance})` : '';
    const target = rule.target;
    if (!target) {
      w.path.push(step(w, table, chain.name, rule, rule.text, `matched, no target: continue${note}`));
      return [{ kind: 'continue', w }];
    }
    const userChain = this.ruleset.tables.get(table)?.chains.get(target.name);
    if (userChain && !userChain.builtin) {
      w.path.push(
        step(w, table, chain.name, rule, rule.text, `${target.goto ? 'goto' : 'jump'} ${target.name}${note}`),
      );
      const out: Array<ChainExit | { kind: 'continue'; w: World }> = [];
      for (const exit of this.#walk(w, table, userChain, depth + 1)) {
        if (exit.kind === 'verdict') out.push(exit);
        // After a goto, falling off the end (or RETURN) returns from the calling chain too.
        else if (target.goto) out.push({ kind: 'return', w: exit.w });
        else out.push({ kind: 'continue', w: exit.w });
      }
      return out;
    }
    const effect = applyTarget(target, w, table, this.#localAddress);
    if (!effect) {
      this.warnings.add(
        `target ${target.name} (${table} ${chain.name} rule ${rule.index}) is neither a chain nor a known target: assumed to continue`,
      );
      w.notes.push(`unknown target ${target.name} assumed to continue`);
      w.path.push(
        step(w, table, chain.name, rule, rule.text, `${target.name}: unknown target, continue${note}`),
      );
      return [{ kind: 'continue', w }];
    }
    w.path.push(step(w, table, chain.name, rule, rule.text, `${effect.action}${note}`));
    if (effect.kind === 'continue') return [{ kind: 'continue', w }];
    if (effect.kind === 'return') return [{ kind: 'return', w }];
    return [{ kind: 'verdict', verdict: effect.verdict, w }];
  }

  #fork(w: World, probability: number): World {
    this.#branches++;
    if (this.#branches === this.#maxBranches) {
      this.warnings.add(`more than ${this.#maxBranches} branches: the trace is incomplete`);
    }
    return forkWorld(w, probability);
  }

  get exhausted(): boolean {
    return this.#branches >= this.#maxBranches;
  }
}

function step(
  w: World,
  table: string,
  chain: string,
  rule: IptablesRule | null,
  text: string,
  action: string,
): TraceStep {
  const s: TraceStep = { table, chain, rule: rule ? rule.index : null, text, action, hook: w.hook };
  if (rule && rule.line > 0) s.line = rule.line;
  return s;
}

/** Runs the tables of one hook in order; returns the worlds that got through and the final ones. */
function runHook(walker: Walker, worlds: World[], hook: string): { passed: World[]; done: TraceOutcome[] } {
  const passed: World[] = [];
  const done: TraceOutcome[] = [];
  let pending = worlds.map((w) => Object.assign(w, { hook }));
  for (const table of HOOK_TABLES[hook] ?? []) {
    const next: World[] = [];
    for (const w of pending) {
      for (const exit of walker.runHookChain(w, table, hook)) {
        if (exit.verdict === 'ACCEPT') next.push(exit.w);
        else done.push(finish(exit.w, exit.verdict));
      }
    }
    pending = next;
  }
  passed.push(...pending);
  return { passed, done };
}

const finish = (w: World, verdict: Verdict): TraceOutcome => finishOutcome(w, verdict);

const localIndexes = new WeakMap<readonly string[], LocalAddresses>();

/** The address index for a list of local addresses, built once per list (IPVS nodes have thousands). */
function localAddressesOf(addresses: readonly string[]): LocalAddresses {
  let local = localIndexes.get(addresses);
  if (!local) {
    local = new LocalAddresses(addresses);
    localIndexes.set(addresses, local);
  }
  return local;
}

/**
 * Traces the first packet of a new connection through an iptables ruleset in the kernel's order:
 * PREROUTING (or OUTPUT for a node-local source) → routing → INPUT or FORWARD → POSTROUTING.
 * Random choices and undecidable matches fork the walk; every outcome has its probability and
 * the exact path of rules that matched.
 */
export function traceIptables(
  input: IptablesRuleset,
  packet: TracePacket,
  node: TraceNode,
  options: IptablesTraceOptions = {},
): TraceResult {
  const warnings: string[] = [];
  const { ruleset, added } = withKubeProxyHooks(input);
  if (added.length) {
    warnings.push(
      `the dump has kube-proxy's chains but not its jumps from the builtin chains; traced as if they were there: ${added.join(', ')}`,
    );
  }
  const local = localAddressesOf(node.localAddresses);
  const srcIp = parseIp(packet.src);
  const dstIp = parseIp(packet.dst);
  if (!srcIp) warnings.push(`source ${packet.src} is not an IP address`);
  if (!dstIp) warnings.push(`destination ${packet.dst} is not an IP address`);
  if (srcIp && dstIp && srcIp.family !== dstIp.family)
    warnings.push('source and destination are of different IP families');
  const startHook = local.has(srcIp) ? 'OUTPUT' : 'PREROUTING';
  const ctx: MatchContext = { local, origDst: packet.dst, origDport: packet.dport };
  if (options.ipset) ctx.ipset = options.ipset;
  const family = dstIp?.family ?? 4;
  const localAddress = family === 4 ? local.first(4) : null;
  const walker = new Walker(
    ruleset,
    ctx,
    localAddress ?? (family === 4 ? packet.src : null),
    options.maxBranches ?? 4096,
  );

  const start: World = {
    probability: 1,
    src: packet.src,
    srcIp,
    dst: packet.dst,
    dstIp,
    dport: packet.dport,
    sport: packet.sport ?? EPHEMERAL_PORT,
    proto: packet.proto,
    inInterface: startHook === 'OUTPUT' ? undefined : packet.inInterface,
    outInterface: packet.outInterface,
    mark: 0,
    connmark: 0,
    dnat: null,
    snat: false,
    masquerade: false,
    path: [],
    assumptions: [],
    notes: [],
    recentSeconds: new Map(),
    affinity: null,
    hook: startHook,
  };

  const outcomes: TraceOutcome[] = [];
  const deliver = (ws: World[]) => {
    for (const w of ws) outcomes.push(finish(w, 'ACCEPT'));
  };

  if (startHook === 'PREROUTING') {
    const pre = runHook(walker, [start], 'PREROUTING');
    outcomes.push(...pre.done);
    const toLocal = pre.passed.filter((w) => local.has(w.dstIp));
    const forwarded = pre.passed.filter((w) => !local.has(w.dstIp));
    const input = runHook(walker, toLocal, 'INPUT');
    outcomes.push(...input.done);
    const afterIpvs = ipvsStage(input.passed, options.ipvs, 'LOCAL_IN');
    outcomes.push(...afterIpvs.failed);
    deliver(afterIpvs.delivered);
    const fwd = runHook(walker, forwarded, 'FORWARD');
    outcomes.push(...fwd.done);
    const post = runHook(walker, [...fwd.passed, ...afterIpvs.rerouted], 'POSTROUTING');
    outcomes.push(...post.done);
    deliver(post.passed);
  } else {
    const out = runHook(walker, [start], 'OUTPUT');
    outcomes.push(...out.done);
    const afterIpvs = ipvsStage(out.passed, options.ipvs, 'LOCAL_OUT');
    outcomes.push(...afterIpvs.failed);
    const post = runHook(walker, [...afterIpvs.delivered, ...afterIpvs.rerouted], 'POSTROUTING');
    outcomes.push(...post.done);
    // Locally addressed packets loop back through INPUT.
    const looped = post.passed.filter((w) => local.has(w.dstIp));
    deliver(post.passed.filter((w) => !local.has(w.dstIp)));
    const input = runHook(walker, looped, 'INPUT');
    outcomes.push(...input.done);
    deliver(input.passed);
  }

  for (const w of walker.warnings) warnings.push(w);
  const merged = mergeOutcomes(outcomes);
  return { packet: { ...packet, startHook }, outcomes: merged, warnings };
}

/**
 * IPVS sees packets to local virtual addresses after INPUT (LOCAL_IN) or, for local clients,
 * after nat OUTPUT (LOCAL_OUT), and sends the scheduled ones to a real server through POSTROUTING.
 */
function ipvsStage(
  worlds: World[],
  ipvs: IpvsHook | undefined,
  where: string,
): { delivered: World[]; rerouted: World[]; failed: TraceOutcome[] } {
  if (!ipvs) return { delivered: worlds, rerouted: [], failed: [] };
  const delivered: World[] = [];
  const rerouted: World[] = [];
  const failed: TraceOutcome[] = [];
  for (const w of worlds) {
    const hit = w.dnat === null ? ipvs({ src: w.src, dst: w.dst, dport: w.dport, proto: w.proto }) : null;
    if (!hit) {
      delivered.push(w);
      continue;
    }
    const ipvsStep = (f: World, action: string) =>
      f.path.push({ table: 'ipvs', chain: hit.label, rule: null, text: hit.label, action, hook: where });
    for (const c of hit.choices) {
      const f = forkWorld(w, w.probability * c.probability);
      const dest = c.address.includes(':') ? `[${c.address}]:${c.port}` : `${c.address}:${c.port}`;
      ipvsStep(f, `schedule to ${dest} (${hit.explanation})`);
      f.dst = c.address;
      f.dstIp = parseIp(c.address);
      f.dport = c.port;
      f.dnat = dest;
      if (hit.persistenceSeconds !== null)
        f.affinity = { timeoutSeconds: hit.persistenceSeconds, key: hit.label };
      f.hook = 'POSTROUTING';
      rerouted.push(f);
    }
    // No usable real server (none at all, or the hash picked one that is down): IPVS refuses
    // the connection with an ICMP port unreachable.
    const scheduled = hit.choices.reduce((s, c) => s + c.probability, 0);
    if (scheduled < 1 - 1e-9) {
      const f = forkWorld(w, w.probability * (1 - scheduled));
      ipvsStep(
        f,
        hit.choices.length === 0
          ? 'no real servers: connection refused'
          : 'no usable real server: connection refused',
      );
      f.notes.push('IPVS found the virtual server but no real server to send to');
      failed.push(finish(f, 'REJECT'));
    }
  }
  return { delivered, rerouted, failed };
}
