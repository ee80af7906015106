import { findOption, ruleProbability, targetOption } from '../iptables/rule-helpers.js';
import type { IptablesChain, IptablesRule, IptablesRuleset, IptablesTable } from '../iptables/types.js';
import type { L4Protocol } from '../trace/types.js';
import { readKubeComment, serviceChain, type KubeComment } from './kube-comments.js';
import { effectiveShares } from './probability.js';
import type {
  EntryKind,
  GraphEdge,
  GraphEndpoint,
  GraphEntry,
  GraphNode,
  GraphResult,
  GraphRuleRef,
  ServiceGraph,
} from './types.js';

export interface BuildIptablesGraphOptions {
  /** Only this Service (`ns/name`, every port) or Service port (`ns/name:port`). */
  service?: string;
}

/** A filter-table REJECT/DROP rule kube-proxy wrote for a Service port. */
interface VerdictRule {
  rule: IptablesRule;
  comment: KubeComment;
}

/** What the dump says about one Service port, before the graph is drawn. */
interface PortRecord {
  spn: string;
  protocol: L4Protocol;
  /** Hashes of its KUBE-SVC/SVL/EXT/FW/XLB chains (normally one). */
  hashes: Set<string>;
  entryRules: { kind: EntryKind; rule: IptablesRule }[];
  /** Old layouts: KUBE-MARK-MASQ jumps in the dispatch chains. */
  dispatchMasq: IptablesRule[];
  verdicts: VerdictRule[];
}

const DISPATCH_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS'];
const FILTER_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-PROXY-FIREWALL'];

function toProtocol(p: string | undefined): L4Protocol | null {
  const s = p?.toLowerCase();
  return s === 'tcp' || s === 'udp' || s === 'sctp'
    ? s
    : s === '6'
      ? 'tcp'
      : s === '17'
        ? 'udp'
        : s === '132'
          ? 'sctp'
          : null;
}

function ruleProtocol(rule: IptablesRule): L4Protocol | null {
  return toProtocol(findOption(rule, '', 'protocol')?.args[0]);
}

/** `10.0.0.1/32` → `10.0.0.1`; other prefixes are kept. */
function hostOf(cidr: string): string {
  if (cidr.endsWith('/32') || cidr.endsWith('/128')) return cidr.slice(0, cidr.lastIndexOf('/'));
  return cidr;
}

function destPort(rule: IptablesRule): number | null {
  for (const m of rule.matches) {
    for (const o of m.options) {
      if (o.name !== 'dport' && o.name !== 'destination-port') continue;
      const n = Number(o.args[0]);
      return Number.isInteger(n) ? n : null;
    }
  }
  return null;
}

/** The matches of a rule in words, without comment and statistic (shown as probabilities). */
export function describeConditions(rule: IptablesRule): string | undefined {
  const parts: string[] = [];
  const short: Record<string, string> = {
    source: '-s',
    destination: '-d',
    protocol: '-p',
    'in-interface': '-i',
    'out-interface': '-o',
    fragment: '-f',
  };
  for (const m of rule.matches) {
    if (m.module === 'comment' || m.module === 'statistic') continue;
    if (m.module !== '' && m.module !== 'tcp' && m.module !== 'udp' && m.module !== 'sctp')
      parts.push(`-m ${m.module}`);
    for (const o of m.options) {
      if (m.module === 'recent' && (o.name === 'mask' || o.name === 'rsource' || o.name === 'reap')) continue;
      const name = m.module === '' ? (short[o.name] ?? `--${o.name}`) : `--${o.name}`;
      parts.push([...(o.negated ? ['!'] : []), name, ...o.args].join(' '));
    }
  }
  return parts.length === 0 ? undefined : parts.join(' ');
}

function ruleRef(rule: IptablesRule, withCounters: boolean): GraphRuleRef {
  const ref: GraphRuleRef = { table: rule.table, chain: rule.chain, rule: rule.index, text: rule.text };
  if (withCounters && rule.counters !== null) ref.packets = rule.counters.packets;
  return ref;
}

function affinitySeconds(rule: IptablesRule): number | null {
  const rcheck = findOption(rule, 'recent', 'rcheck') ?? findOption(rule, 'recent', 'update');
  if (rcheck === undefined) return null;
  const s = Number(findOption(rule, 'recent', 'seconds')?.args[0]);
  return Number.isFinite(s) ? s : 0;
}

function matchesService(spn: string, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  return spn === wanted || (!wanted.includes(':') && spn.startsWith(wanted + ':'));
}

const ENTRY_LABEL: Record<EntryKind, string> = {
  clusterIP: 'cluster IP',
  nodePort: 'node port',
  loadBalancer: 'load balancer',
  externalIP: 'external IP',
};

/**
 * The path graph of every Service port found in an iptables dump, from the dump alone: kube-proxy's
 * comments name the Service ports, its chain prefixes (KUBE-SVC/SVL/EXT/FW/SEP, old KUBE-XLB) give
 * the roles. Entry points come from nat KUBE-SERVICES / KUBE-NODEPORTS and, for Services without
 * endpoints, from the filter REJECT/DROP rules.
 */
export function buildIptablesGraph(rs: IptablesRuleset, opts: BuildIptablesGraphOptions = {}): GraphResult {
  const nat = rs.tables.get('nat');
  const filter = rs.tables.get('filter');
  const records = new Map<string, PortRecord>();
  const byHash = new Map<string, PortRecord>();

  const recordFor = (spn: string, protocol: L4Protocol): PortRecord => {
    const key = `${spn}|${protocol}`;
    let r = records.get(key);
    if (r === undefined) {
      r = { spn, protocol, hashes: new Set(), entryRules: [], dispatchMasq: [], verdicts: [] };
      records.set(key, r);
    }
    return r;
  };

  // 1. What each per-service hash is called and which protocol it carries.
  const hashInfo = new Map<string, { spn: string | null; protocol: L4Protocol | null }>();
  const learn = (hash: string, spn: string | null, protocol: L4Protocol | null): void => {
    const info = hashInfo.get(hash) ?? { spn: null, protocol: null };
    info.spn ??= spn;
    info.protocol ??= protocol;
    hashInfo.set(hash, info);
  };
  if (nat !== undefined) {
    for (const d of DISPATCH_CHAINS) {
      for (const rule of nat.chains.get(d)?.rules ?? []) {
        const sc = rule.target === null ? null : serviceChain(rule.target.name);
        if (sc === null || sc.kind === 'endpoint-chain') continue;
        learn(sc.hash, readKubeComment(rule.comment)?.spn ?? null, ruleProtocol(rule));
      }
    }
    for (const chain of nat.chains.values()) {
      const sc = serviceChain(chain.name);
      if (sc === null || sc.kind === 'endpoint-chain') continue;
      learn(sc.hash, null, null);
      const info = hashInfo.get(sc.hash);
      for (const rule of chain.rules) {
        if (info !== undefined && info.spn !== null && info.protocol !== null) break; // known already
        learn(sc.hash, readKubeComment(rule.comment)?.spn ?? null, ruleProtocol(rule));
        const target = rule.target === null ? null : serviceChain(rule.target.name);
        if (target?.kind === 'endpoint-chain') {
          for (const sepRule of nat.chains.get(rule.target?.name ?? '')?.rules ?? []) {
            learn(sc.hash, readKubeComment(sepRule.comment)?.spn ?? null, ruleProtocol(sepRule));
          }
        }
      }
    }
  }
  for (const [hash, info] of hashInfo) {
    const r = recordFor(info.spn ?? `KUBE-SVC-${hash}`, info.protocol ?? 'tcp');
    r.hashes.add(hash);
    byHash.set(hash, r);
  }

  // 2. Entry points and old-style masquerade rules in the nat dispatch chains.
  if (nat !== undefined) {
    for (const d of DISPATCH_CHAINS) {
      for (const rule of nat.chains.get(d)?.rules ?? []) {
        if (rule.target === null) continue;
        const sc = serviceChain(rule.target.name);
        if (sc !== null && sc.kind !== 'endpoint-chain') {
          const rec = byHash.get(sc.hash);
          if (rec === undefined) continue;
          const role = readKubeComment(rule.comment)?.role;
          const kind: EntryKind =
            d === 'KUBE-NODEPORTS'
              ? 'nodePort'
              : role === 'externalIP' || role === 'loadBalancer' || role === 'clusterIP'
                ? role
                : sc.kind === 'firewall'
                  ? 'loadBalancer'
                  : sc.kind === 'external'
                    ? 'externalIP'
                    : 'clusterIP';
          rec.entryRules.push({ kind, rule });
        } else if (rule.target.name === 'KUBE-MARK-MASQ') {
          const c = readKubeComment(rule.comment);
          const proto = ruleProtocol(rule) ?? 'tcp';
          const rec = c === null ? undefined : records.get(`${c.spn}|${proto}`);
          rec?.dispatchMasq.push(rule);
        }
      }
    }
  }

  // 3. Filter REJECT/DROP rules: Services without (local) endpoints, LB source-range drops.
  if (filter !== undefined) {
    for (const name of FILTER_CHAINS) {
      for (const rule of filter.chains.get(name)?.rules ?? []) {
        const verdict = rule.target?.name;
        if (verdict !== 'REJECT' && verdict !== 'DROP') continue;
        const c = readKubeComment(rule.comment);
        if (
          c === null ||
          (c.role !== 'noEndpoints' && c.role !== 'noLocalEndpoints' && c.role !== 'firewallDrop')
        )
          continue;
        recordFor(c.spn, ruleProtocol(rule) ?? 'tcp').verdicts.push({ rule, comment: c });
      }
    }
  }

  const services: ServiceGraph[] = [];
  for (const rec of records.values()) {
    if (!matchesService(rec.spn, opts.service)) continue;
    services.push(drawService(rec, nat, rs.hasCounters, rs.format === 'restore'));
  }
  services.sort((a, b) =>
    a.service < b.service ? -1 : a.service > b.service ? 1 : a.protocol < b.protocol ? -1 : 1,
  );
  return { services };
}

/** Draws one Service port: entries → dispatch → policy chains → endpoint chains → endpoints. */
function drawService(
  rec: PortRecord,
  nat: IptablesTable | undefined,
  withCounters: boolean,
  partialInput: boolean,
): ServiceGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const warnings: string[] = [];
  const entries: GraphEntry[] = [];
  const sepAddress = new Map<string, string | null>();

  const chainNode = (table: string, name: string): GraphNode => {
    const id = `chain:${table}:${name}`;
    let n = nodes.get(id);
    if (n === undefined) {
      const sc = serviceChain(name);
      n = { id, kind: sc?.kind ?? 'dispatch', label: name };
      nodes.set(id, n);
    }
    return n;
  };
  const verdictNode = (rule: IptablesRule, verdict: 'DROP' | 'REJECT'): GraphNode => {
    const id = `verdict:${rule.table}:${rule.chain}:${rule.index}`;
    let n = nodes.get(id);
    if (n === undefined) {
      n = {
        id,
        kind: verdict === 'DROP' ? 'drop' : 'reject',
        label: `${verdict} (${rule.table} ${rule.chain})`,
      };
      nodes.set(id, n);
    }
    return n;
  };
  const endpointNode = (address: string): GraphNode => {
    const id = `endpoint:${address}`;
    let n = nodes.get(id);
    if (n === undefined) {
      n = { id, kind: 'endpoint', label: address };
      nodes.set(id, n);
    }
    return n;
  };
  const addEdge = (
    from: GraphNode,
    to: GraphNode,
    probability: number,
    rule: IptablesRule | null,
    condition?: string,
  ): void => {
    const e: GraphEdge = {
      from: from.id,
      to: to.id,
      probability,
      rule: rule === null ? null : ruleRef(rule, withCounters),
    };
    if (condition !== undefined) e.condition = condition;
    edges.push(e);
  };

  // Walks a nat chain of this Service port and everything it jumps to.
  const visited = new Set<string>();
  const walk = (name: string): void => {
    if (visited.has(name)) return;
    visited.add(name);
    const node = chainNode('nat', name);
    const chain: IptablesChain | undefined = nat?.chains.get(name);
    if (chain === undefined) {
      warnings.push(
        partialInput
          ? `chain ${name} is referenced but not in this restore input (a partial sync only writes the chains of changed Services)`
          : `chain ${name} is referenced but missing from the nat table`,
      );
      return;
    }
    for (const rule of chain.rules) {
      const t = rule.target;
      if (t === null) continue;
      if (t.name === 'KUBE-MARK-MASQ') {
        node.masquerade = true;
        continue;
      }
      if (t.name === 'DNAT') {
        const dest = targetOption(rule, 'to-destination');
        const address =
          dest?.args.length === 1 && dest.args[0] !== '' && !dest.args[0]?.startsWith(':')
            ? (dest.args[0] ?? null)
            : null;
        if (address === null) {
          warnings.push(`unreadable DNAT target in ${name} (line ${rule.line}): ${rule.text}`);
          sepAddress.set(name, null);
          continue;
        }
        if (!sepAddress.has(name) || sepAddress.get(name) === null) sepAddress.set(name, address);
        addEdge(node, endpointNode(address), 1, rule, describeConditions(rule));
        continue;
      }
      if (t.name === 'KUBE-MARK-DROP' || t.name === 'DROP' || t.name === 'REJECT') {
        addEdge(
          node,
          verdictNode(rule, t.name === 'REJECT' ? 'REJECT' : 'DROP'),
          1,
          rule,
          describeConditions(rule),
        );
        continue;
      }
      const sc = serviceChain(t.name);
      if (sc === null) continue; // RETURN, ACCEPT, other chains: not part of the Service's path
      const to = chainNode('nat', t.name);
      const seconds = affinitySeconds(rule);
      if (seconds !== null) {
        node.affinitySeconds = seconds;
        // A new client has no affinity record: this edge is only taken by returning clients.
        addEdge(node, to, 0, rule, `client seen in the last ${seconds} s (session affinity)`);
      } else {
        addEdge(node, to, ruleProbability(rule) ?? 1, rule, describeConditions(rule));
      }
      walk(t.name);
    }
  };

  // Entries from the nat dispatch chains.
  const entryFor = (
    kind: EntryKind,
    ip: string | null,
    port: number,
    target: string,
    rule: IptablesRule | null,
  ): GraphNode => {
    const id = `entry:${kind}:${ip ?? '*'}:${port}`;
    let n = nodes.get(id);
    if (n === undefined) {
      n = { id, kind: 'entry', label: `${ENTRY_LABEL[kind]} ${ip ?? '*'}:${port}/${rec.protocol}` };
      nodes.set(id, n);
      entries.push({ kind, ip, port, target, rule: rule === null ? null : ruleRef(rule, withCounters) });
    }
    return n;
  };
  for (const { kind, rule } of rec.entryRules) {
    const target = rule.target?.name ?? '';
    const port = destPort(rule);
    const d = findOption(rule, '', 'destination');
    // The localhost node-port variant (-d 127.0.0.0/8) is the same node port.
    const ip = kind === 'nodePort' || d === undefined || d.negated ? null : hostOf(d.args[0] ?? '');
    if (port === null) {
      warnings.push(`entry rule without a destination port (line ${rule.line}): ${rule.text}`);
      continue;
    }
    const entry = entryFor(kind, ip, port, target, rule);
    const dispatch = chainNode('nat', rule.chain);
    if (!edges.some((e) => e.from === entry.id && e.to === dispatch.id)) addEdge(entry, dispatch, 1, null);
    addEdge(dispatch, chainNode('nat', target), 1, rule, describeConditions(rule));
    walk(target);
  }
  for (const rule of rec.dispatchMasq) chainNode('nat', rule.chain).masquerade = true;
  // Per-service chains no entry reaches (partial dumps, stale chains) still belong to the Service.
  for (const hash of rec.hashes) {
    for (const prefix of ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-XLB-', 'KUBE-EXT-', 'KUBE-FW-']) {
      if (nat?.chains.has(prefix + hash) === true) walk(prefix + hash);
    }
  }

  // Filter verdicts.
  for (const { rule, comment } of rec.verdicts) {
    const verdict = rule.target?.name === 'REJECT' ? 'REJECT' : 'DROP';
    const v = verdictNode(rule, verdict);
    const port = destPort(rule);
    const d = findOption(rule, '', 'destination');
    const ip = d === undefined ? null : hostOf(d.args[0] ?? '');
    if (comment.role === 'firewallDrop') {
      const fw = [...nodes.values()].find((n) => n.kind === 'firewall');
      const from = fw ?? entries.find((e) => e.kind === 'loadBalancer' && e.ip === ip);
      if (fw !== undefined)
        addEdge(
          fw,
          v,
          1,
          rule,
          'source not in loadBalancerSourceRanges (dropped in filter KUBE-PROXY-FIREWALL)',
        );
      else if (from !== undefined && port !== null)
        addEdge(entryFor('loadBalancer', ip, port, 'DROP', null), v, 1, rule, describeConditions(rule));
      continue;
    }
    if (port === null) continue;
    const existing = entries.find(
      (e) => e.port === port && (ip === null ? e.kind === 'nodePort' : e.ip === ip),
    );
    if (existing !== undefined && existing.target !== verdict) {
      // eTP/iTP Local without local endpoints: traffic not short-circuited falls through nat un-DNATed.
      addEdge(
        chainNode('nat', existing.target),
        v,
        1,
        rule,
        `${comment.role === 'noLocalEndpoints' ? 'no local endpoints' : 'no endpoints'}: dropped in filter ${rule.chain}`,
      );
      continue;
    }
    const kind: EntryKind =
      rule.chain === 'KUBE-SERVICES' ? 'clusterIP' : ip === null ? 'nodePort' : 'externalIP';
    const entry = entryFor(kind, kind === 'nodePort' ? null : ip, port, verdict, rule);
    const dispatch = chainNode('filter', rule.chain);
    addEdge(entry, dispatch, 1, null);
    addEdge(dispatch, v, 1, rule, describeConditions(rule));
  }

  // Endpoints and their effective share from the internal policy chain.
  const hashes = [...rec.hashes];
  const svcChain = hashes.map((h) => `KUBE-SVC-${h}`).find((n) => nodes.has(`chain:nat:${n}`)) ?? null;
  const clusterEntry = entries.find((e) => e.kind === 'clusterIP' && serviceChain(e.target) !== null);
  const internal =
    clusterEntry?.target ??
    svcChain ??
    hashes.flatMap((h) => [`KUBE-SVL-${h}`, `KUBE-XLB-${h}`]).find((n) => nat?.chains.has(n) === true) ??
    null;
  const shares = new Map<string, number>();
  if (internal !== null) {
    const jumps = (nat?.chains.get(internal)?.rules ?? []).filter(
      (r) =>
        r.target !== null &&
        serviceChain(r.target.name)?.kind === 'endpoint-chain' &&
        affinitySeconds(r) === null,
    );
    const eff = effectiveShares(jumps.map(ruleProbability));
    jumps.forEach((r, i) =>
      shares.set(r.target?.name ?? '', (shares.get(r.target?.name ?? '') ?? 0) + (eff[i] ?? 0)),
    );
  }
  const endpoints: GraphEndpoint[] = [];
  const seps = [...nodes.values()].filter((n) => n.kind === 'endpoint-chain').map((n) => n.label);
  seps.sort((a, b) => (shares.has(b) ? 1 : 0) - (shares.has(a) ? 1 : 0));
  for (const sep of seps) {
    let address = sepAddress.get(sep) ?? null;
    if (address === null) {
      // Missing or garbled endpoint chain: the service-to-endpoint comment still names it.
      const jump = edges.find((e) => e.to === `chain:nat:${sep}` && e.rule !== null);
      const fromComment = readKubeComment(jumpComment(nat, jump?.rule ?? null))?.endpoint;
      if (fromComment === undefined) {
        warnings.push(`endpoint chain ${sep} has no readable DNAT target`);
        continue;
      }
      address = fromComment;
    }
    endpoints.push({ address, chain: sep, probability: shares.get(sep) ?? 0 });
  }

  return {
    service: rec.spn,
    protocol: rec.protocol,
    chain: svcChain,
    entries,
    endpoints,
    nodes: [...nodes.values()],
    edges,
    warnings,
  };
}

function jumpComment(nat: IptablesTable | undefined, ref: GraphRuleRef | null): string | null {
  if (ref === null) return null;
  return nat?.chains.get(ref.chain)?.rules[ref.rule - 1]?.comment ?? null;
}
