// Path graph of kube-proxy's nftables table: map entries (service-ips, service-nodeports,
// firewall-ips, no-endpoint-*) → per-service chains → numgen choices → endpoints.
import { joinHostPort } from '../common/ip.js';
import type {
  EntryKind,
  GraphEdge,
  GraphEndpoint,
  GraphEntry,
  GraphNode,
  GraphResult,
  GraphRuleRef,
  ServiceGraph,
} from '../graph/types.js';
import { nftServicePortNameBase } from '../naming/nftables-names.js';
import type { L4Protocol } from '../trace/types.js';
import { renderStatement } from './render.js';
import type { NftChain, NftExpr, NftRule, NftSet, NftStatement, NftTable, NftRuleset } from './types.js';

export interface NftGraphOptions {
  /** Addresses known to be load-balancer VIPs (without this, only firewalled VIPs are recognised). */
  loadBalancerIPs?: readonly string[];
}

const SERVICE_CHAIN = /^(service|local|external|firewall|endpoint)-([A-Z2-7]{8}-.*)$/;
const NODE_KIND = {
  service: 'service',
  local: 'local',
  external: 'external',
  firewall: 'firewall',
  endpoint: 'endpoint-chain',
} as const;

interface Builder {
  key: string;
  service: string;
  protocol: L4Protocol;
  entries: GraphEntry[];
  nodes: Map<string, GraphNode>;
  edges: GraphEdge[];
  warnings: string[];
  /** Chains whose rules were already turned into edges. */
  expanded: Set<string>;
}

/** `HASH-ns/svc/proto/port` → `ns/svc:port` and the protocol. */
function describeBase(base: string): { service: string; protocol: L4Protocol } {
  const readable = base.slice(9).split('__')[0] ?? '';
  const [ns = '', svc = '', proto = 'tcp', port = ''] = readable.split('/');
  const protocol: L4Protocol = proto === 'udp' || proto === 'sctp' ? proto : 'tcp';
  return { service: port === '' ? `${ns}/${svc}` : `${ns}/${svc}:${port}`, protocol };
}

const ruleRef = (table: NftTable, chain: NftChain, rule: NftRule): GraphRuleRef => {
  const ref: GraphRuleRef = {
    table: `${table.family} ${table.name}`,
    chain: chain.name,
    rule: rule.index,
    text: rule.text,
  };
  const counter = rule.statements.find((s) => s.kind === 'counter');
  if (counter?.kind === 'counter' && counter.packets !== null) ref.packets = counter.packets;
  return ref;
};

const valueParts = (e: NftExpr): string[] | null =>
  e.kind === 'value'
    ? [e.text]
    : e.kind === 'concat' && e.parts.every((p) => p.kind === 'value')
      ? e.parts.map((p) => (p.kind === 'value' ? p.text : ''))
      : null;

const endpointAddress = (parts: readonly string[] | null): string | null => {
  const [ip, port] = parts ?? [];
  return ip === undefined || port === undefined ? null : joinHostPort(ip, Number(port));
};

/** The condition part of a rule in words (its matches), or undefined when it has none. */
function conditionOf(rule: NftRule): string | undefined {
  const m = rule.statements.filter((s) => s.kind === 'match').map(renderStatement);
  return m.length > 0 ? m.join(' ') : undefined;
}

/** Whether a rule marks packets for masquerading (inline `mark set` or a jump to a marking chain). */
function marks(rule: NftRule, table: NftTable): boolean {
  return rule.statements.some(
    (s) =>
      (s.kind === 'assign' && s.left.kind === 'meta' && s.left.key === 'mark') ||
      (s.kind === 'verdict' &&
        s.verdict === 'jump' &&
        s.target !== null &&
        !SERVICE_CHAIN.test(s.target) &&
        (table.chains.get(s.target)?.rules.some((r) => marks(r, table)) ?? false)),
  );
}

/** Builds the path graph of every kube-proxy service found in the ruleset. */
export function buildNftGraph(rs: NftRuleset, opts: NftGraphOptions = {}): GraphResult {
  const builders = new Map<string, Builder>();
  for (const table of rs.tables) {
    if (table.name !== 'kube-proxy') continue;
    fromTable(table, builders, opts);
  }
  const services: ServiceGraph[] = [];
  for (const b of builders.values()) services.push(finishService(b));
  return { services: services.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0)) };
}

function builderFor(builders: Map<string, Builder>, base: string): Builder {
  let b = builders.get(base);
  if (b === undefined) {
    const d = describeBase(base);
    b = {
      key: base,
      service: d.service,
      protocol: d.protocol,
      entries: [],
      nodes: new Map(),
      edges: [],
      warnings: [],
      expanded: new Set(),
    };
    builders.set(base, b);
  }
  return b;
}

/** The rule that looks a map up (`… vmap @name`), for references. */
function mapRule(table: NftTable, map: string): { chain: NftChain; rule: NftRule } | null {
  for (const chain of table.chains.values()) {
    for (const rule of chain.rules) {
      if (rule.statements.some((s) => s.kind === 'vmap' && s.map.kind === 'setref' && s.map.name === map))
        return { chain, rule };
    }
  }
  return null;
}

function fromTable(table: NftTable, builders: Map<string, Builder>, opts: NftGraphOptions): void {
  const lbIPs = new Set(opts.loadBalancerIPs ?? []);
  const firewalled = new Set((table.sets.get('firewall-ips')?.elements ?? []).map((e) => e.key[0] ?? ''));
  const nodePortIPs = table.sets.get('nodeport-ips')?.elements.map((e) => e.key[0] ?? '') ?? [];
  const hairpin = new Set(
    (table.sets.get('hairpin-connections')?.elements ?? []).map((e) =>
      joinHostPort(e.key[1] ?? '', Number(e.key[3])),
    ),
  );
  const masqueradesClusterIPs =
    table.chains
      .get('services')
      ?.rules.some(
        (r) =>
          marks(r, table) &&
          r.statements.some(
            (s) => s.kind === 'match' && s.right.kind === 'setref' && s.right.name === 'cluster-ips',
          ),
      ) ?? false;
  const refs = new Map<string, GraphRuleRef | null>();
  const ref = (map: string): GraphRuleRef | null => {
    if (!refs.has(map)) {
      const r = mapRule(table, map);
      refs.set(map, r === null ? null : ruleRef(table, r.chain, r.rule));
    }
    return refs.get(map) ?? null;
  };

  const addEntry = (
    b: Builder,
    kind: EntryKind,
    ip: string | null,
    port: number,
    targetId: string,
    target: string,
    rule: GraphRuleRef | null,
    condition?: string,
  ): void => {
    b.entries.push({ kind, ip, port, target, rule });
    const id = `entry:${kind}:${ip ?? '*'}:${port}`;
    if (!b.nodes.has(id)) {
      const node: GraphNode = {
        id,
        kind: 'entry',
        label: `${kind} ${joinHostPort(ip ?? '*', port)}`,
      };
      if (kind === 'clusterIP' && masqueradesClusterIPs) node.masquerade = true;
      b.nodes.set(id, node);
    }
    const edge: GraphEdge = { from: id, to: targetId, probability: 1, rule };
    if (condition !== undefined) edge.condition = condition;
    b.edges.push(edge);
  };

  const chainNode = (b: Builder, name: string): string => {
    const m = SERVICE_CHAIN.exec(name);
    const id = `chain:${name}`;
    if (!b.nodes.has(id))
      b.nodes.set(id, {
        id,
        kind: m !== null ? NODE_KIND[m[1] as keyof typeof NODE_KIND] : 'dispatch',
        label: name,
      });
    expand(b, name);
    return id;
  };
  const verdictNode = (b: Builder, verdict: 'drop' | 'reject', where: string): string => {
    const id = `${verdict}:${where}`;
    if (!b.nodes.has(id))
      b.nodes.set(id, {
        id,
        kind: verdict,
        label: verdict === 'drop' ? 'DROP' : 'REJECT (ICMP port unreachable)',
      });
    return id;
  };
  const endpointNode = (b: Builder, address: string): string => {
    const id = `ep:${address}`;
    if (!b.nodes.has(id)) {
      const node: GraphNode = { id, kind: 'endpoint', label: address };
      if (hairpin.has(address)) node.masquerade = true;
      b.nodes.set(id, node);
    }
    return id;
  };
  /** Edge from `from` to whatever a verdict leads to. */
  const follow = (
    b: Builder,
    from: string,
    verdict: string,
    target: string | null,
    p: number,
    rule: GraphRuleRef | null,
    condition?: string,
  ): void => {
    let to: string | null = null;
    if (verdict === 'drop') to = verdictNode(b, 'drop', from);
    else if (verdict === 'reject') to = verdictNode(b, 'reject', from);
    else if ((verdict === 'goto' || verdict === 'jump') && target !== null) {
      if (target === 'reject-chain' || /^localhost-nodeport-reject-/.test(target))
        to = verdictNode(b, 'reject', target);
      else if (table.chains.has(target)) to = chainNode(b, target);
      else b.warnings.push(`${from}: ${verdict} to missing chain ${target}`);
    }
    if (to === null) return;
    const edge: GraphEdge = { from, to, probability: p, rule };
    if (condition !== undefined) edge.condition = condition;
    b.edges.push(edge);
  };

  function expand(b: Builder, name: string): void {
    if (b.expanded.has(name)) return;
    b.expanded.add(name);
    const chain = table.chains.get(name);
    if (chain === undefined) return;
    const from = `chain:${name}`;
    const node = b.nodes.get(from);
    for (const rule of chain.rules) {
      const ref = ruleRef(table, chain, rule);
      const condition = conditionOf(rule);
      if (marks(rule, table) && node !== undefined) node.masquerade = true;
      for (const s of rule.statements) expandStatement(b, from, s, rule, ref, condition, node);
    }
  }

  function expandStatement(
    b: Builder,
    from: string,
    s: NftStatement,
    rule: NftRule,
    ref: GraphRuleRef,
    condition: string | undefined,
    node: GraphNode | undefined,
  ): void {
    if (s.kind === 'verdict') {
      if (
        s.target !== null &&
        !SERVICE_CHAIN.test(s.target) &&
        s.target !== 'reject-chain' &&
        marks(rule, table)
      )
        return; // mark-for-masquerade
      const affinity = rule.statements.find(
        (x) => x.kind === 'match' && x.right.kind === 'setref' && x.right.name.startsWith('affinity-'),
      );
      // A returning client with an affinity record; a new client never takes this edge.
      follow(
        b,
        from,
        s.verdict,
        s.target,
        affinity !== undefined ? 0 : 1,
        ref,
        affinity !== undefined
          ? `${condition ?? ''} (returning client with an affinity record)`.trim()
          : condition,
      );
    } else if (s.kind === 'vmap' && s.key.kind === 'numgen' && s.map.kind === 'map') {
      const n = s.key.mod;
      for (const en of s.map.entries)
        if (en.value.kind === 'verdict')
          follow(
            b,
            from,
            en.value.verdict,
            en.value.target,
            1 / n,
            ref,
            `numgen ${renderStatement({ kind: 'match', left: s.key, op: 'implicit', right: en.key })}`,
          );
    } else if (s.kind === 'nat' && s.type === 'dnat' && s.to !== null) {
      if (s.to.kind === 'lookup' && s.to.key.kind === 'numgen' && s.to.map.kind === 'map') {
        const n = s.to.key.mod;
        for (const en of s.to.map.entries) {
          const addr = endpointAddress(valueParts(en.value));
          if (addr !== null)
            b.edges.push({
              from,
              to: endpointNode(b, addr),
              probability: 1 / n,
              condition: `numgen = ${valueParts(en.key)?.join('') ?? '?'}`,
              rule: ref,
            });
        }
      } else {
        const addr = endpointAddress(valueParts(s.to));
        if (addr !== null) b.edges.push({ from, to: endpointNode(b, addr), probability: 1, rule: ref });
        else b.warnings.push(`${rule.text}: DNAT target not understood`);
      }
    } else if (s.kind === 'dynset' && node !== undefined) {
      const set = table.sets.get(s.set);
      if (set?.timeout !== null && set?.timeout !== undefined) node.affinitySeconds = set.timeout;
    }
  }

  const elementsOf = (name: string): NftSet['elements'] => table.sets.get(name)?.elements ?? [];
  // ClusterIP / external IP / load-balancer entries.
  for (const el of elementsOf('service-ips')) {
    const [ip = '', , port = '0'] = el.key;
    if (el.value === null || !('verdict' in el.value) || el.value.target === null) continue;
    const m = SERVICE_CHAIN.exec(el.value.target);
    if (m === null || m[2] === undefined) continue;
    const b = builderFor(builders, m[2]);
    const kind: EntryKind =
      m[1] === 'external'
        ? firewalled.has(ip) || lbIPs.has(ip)
          ? 'loadBalancer'
          : 'externalIP'
        : 'clusterIP';
    const rule = ref('service-ips');
    addEntry(b, kind, ip, Number(port), chainNode(b, el.value.target), el.value.target, rule);
  }
  // Node ports: on every nodeport-ips address, or any local address when the set is absent.
  for (const el of elementsOf('service-nodeports')) {
    const [, port = '0'] = el.key;
    if (el.value === null || !('verdict' in el.value) || el.value.target === null) continue;
    const m = SERVICE_CHAIN.exec(el.value.target);
    if (m === null || m[2] === undefined) continue;
    const b = builderFor(builders, m[2]);
    const target = chainNode(b, el.value.target);
    for (const ip of table.sets.has('nodeport-ips') ? nodePortIPs : [null])
      addEntry(b, 'nodePort', ip, Number(port), target, el.value.target, ref('service-nodeports'));
  }
  // LoadBalancerSourceRanges: the firewall chain runs before DNAT; what it does not drop goes on.
  for (const el of elementsOf('firewall-ips')) {
    const [ip = '', , port = '0'] = el.key;
    if (el.value === null || !('verdict' in el.value) || el.value.target === null) continue;
    const m = SERVICE_CHAIN.exec(el.value.target);
    if (m === null || m[2] === undefined) continue;
    const b = builderFor(builders, m[2]);
    const fw = chainNode(b, el.value.target);
    addEntry(
      b,
      'loadBalancer',
      ip,
      Number(port),
      fw,
      el.value.target,
      ref('firewall-ips'),
      'filter before DNAT (LoadBalancerSourceRanges)',
    );
    const external = `chain:external-${m[2]}`;
    if (b.nodes.has(external))
      b.edges.push({ from: fw, to: external, probability: 1, condition: 'source allowed', rule: null });
  }
  // Destinations without usable endpoints: dropped or rejected in the filter chains.
  for (const [map, kindOf] of [
    ['no-endpoint-services', (k: string[]) => ({ ip: k[0] ?? '', proto: k[1] ?? 'tcp', port: Number(k[2]) })],
    ['no-endpoint-nodeports', (k: string[]) => ({ ip: null, proto: k[0] ?? 'tcp', port: Number(k[1]) })],
  ] as const) {
    for (const el of elementsOf(map)) {
      if (el.comment === null || el.value === null || !('verdict' in el.value)) continue;
      const { ip, proto, port } = kindOf(el.key);
      const spn = /^([^/]+)\/([^:]+)(?::(.*))?$/.exec(el.comment);
      if (spn === null) continue;
      const base = nftServicePortNameBase(spn[1] ?? '', spn[2] ?? '', proto, spn[3] ?? '');
      const b = builderFor(builders, base);
      const verdict = el.value.verdict === 'drop' ? 'drop' : 'reject';
      const target = verdictNode(b, verdict, `${map}:${el.key.join('.')}`);
      const kind: EntryKind =
        ip === null
          ? 'nodePort'
          : firewalled.has(ip) || lbIPs.has(ip)
            ? 'loadBalancer'
            : b.entries.some((e) => e.kind === 'clusterIP' && e.ip === ip) ||
                !b.entries.some((e) => e.ip === ip)
              ? 'clusterIP'
              : 'externalIP';
      const existing = b.entries.find((e) => e.ip === ip && e.port === port);
      if (existing !== undefined) {
        // The same address also has a service-ips entry: the drop applies to the remaining traffic.
        b.edges.push({
          from: `entry:${existing.kind}:${ip ?? '*'}:${port}`,
          to: target,
          probability: 0,
          condition: `no ${ip === null ? 'local ' : ''}endpoints for this traffic (filter, ${map})`,
          rule: ref(map),
        });
      } else addEntry(b, kind, ip, port, target, verdict, ref(map), `no endpoints (${map})`);
    }
  }
}

/** Effective probabilities of reaching each endpoint from the service's cluster-IP entry. */
function finishService(b: Builder): ServiceGraph {
  const out = new Map<string, GraphEdge[]>();
  for (const e of b.edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const reach = new Map<string, { p: number; chain: string | null }>();
  const walk = (id: string, p: number, endpointChain: string | null, depth: number): void => {
    if (depth > 32 || p === 0) return;
    const node = b.nodes.get(id);
    if (node?.kind === 'endpoint') {
      const cur = reach.get(node.label) ?? { p: 0, chain: endpointChain };
      reach.set(node.label, { p: cur.p + p, chain: cur.chain ?? endpointChain });
      return;
    }
    const chainName = node?.kind === 'endpoint-chain' ? node.label : endpointChain;
    const edges = (out.get(id) ?? []).filter((e) => e.probability > 0);
    // Within a policy chain the first unconditional branch set decides; conditional edges are alternatives for other sources.
    const unconditional = edges.filter((e) => e.condition === undefined || e.condition.startsWith('numgen'));
    for (const e of unconditional.length > 0 ? unconditional : edges)
      walk(e.to, p * e.probability, chainName, depth + 1);
  };
  const clusterEntry = b.entries.find((e) => e.kind === 'clusterIP');
  const start = clusterEntry ?? b.entries[0];
  if (start !== undefined) walk(`entry:${start.kind}:${start.ip ?? '*'}:${start.port}`, 1, null, 0);
  const endpoints: GraphEndpoint[] = [...reach]
    .map(([address, r]) => ({ address, chain: r.chain, probability: r.p }))
    .sort((x, y) => (x.address < y.address ? -1 : 1));
  const clusterChain = `service-${b.key}`;
  return {
    service: b.service,
    protocol: b.protocol,
    chain: b.nodes.has(`chain:${clusterChain}`) ? clusterChain : null,
    entries: b.entries,
    endpoints,
    nodes: [...b.nodes.values()],
    edges: b.edges,
    warnings: b.warnings,
  };
}
