// A parsed dump as the browsable table → chain → rule tree of ParsedDumpDto. IPVS shows as one
// "table" whose "chains" are virtual servers with their real servers as rules; ipset as sets
// with their members.
import type {
  IpsetState,
  IptablesRuleset,
  IpvsState,
  NftRuleset,
  NftStatement,
  NodeDataplane,
  ParsedDumpDto,
} from '@svcpath/core';

type Tables = ParsedDumpDto['tables'];

export function dumpTables(dp: NodeDataplane): Tables {
  const rs = dp.iptables ?? dp.ip6tables;
  if (rs) return iptablesTables(rs);
  if (dp.nft) return nftTables(dp.nft);
  if (dp.ipvs) return ipvsTables(dp.ipvs);
  if (dp.ipset) return ipsetTables(dp.ipset);
  return [];
}

function iptablesTables(ruleset: IptablesRuleset): Tables {
  return [...ruleset.tables.values()].map((table) => ({
    name: table.name,
    chains: [...table.chains.values()].map((chain) => ({
      name: chain.name,
      policy: chain.policy,
      ...(chain.builtin ? { hook: chain.name } : {}),
      rules: chain.rules.map((r) => ({
        index: r.index,
        line: r.line,
        text: r.text,
        target: r.target?.name ?? null,
        ...(r.counters ? { packets: r.counters.packets, bytes: r.counters.bytes } : {}),
      })),
    })),
  }));
}

function ipvsTables(state: IpvsState): Tables {
  return [
    {
      name: 'ipvs',
      chains: state.services.map((vs) => ({
        name: vs.text,
        policy: vs.scheduler,
        rules: vs.realServers.map((rs, i) => ({
          index: i + 1,
          line: rs.line ?? 0,
          text: rs.text,
          target: `${rs.address.includes(':') ? `[${rs.address}]` : rs.address}:${rs.port}`,
          ...(rs.stats ? { packets: rs.stats.inPkts, bytes: rs.stats.inBytes } : {}),
        })),
      })),
    },
  ];
}

function ipsetTables(state: IpsetState): Tables {
  return [
    {
      name: 'ipset',
      chains: [...state.sets.values()].map((set) => ({
        name: set.name,
        policy: set.type,
        rules: set.entries.map((e, i) => ({ index: i + 1, line: e.line ?? 0, text: e.text, target: null })),
      })),
    },
  ];
}

function nftTables(ruleset: NftRuleset): Tables {
  return ruleset.tables.map((table) => ({
    name: `${table.family} ${table.name}`,
    chains: [...table.chains.values()].map((chain) => ({
      name: chain.name,
      policy: chain.policy,
      ...(chain.hook !== null ? { hook: chain.hook } : {}),
      rules: chain.rules.map((r) => ({
        index: r.index,
        line: r.line ?? 0,
        text: r.text,
        target: nftTarget(r.statements),
        ...nftCounter(r.statements),
      })),
    })),
  }));
}

/** Where a rule sends the packet: its verdict, map lookup or NAT. */
function nftTarget(statements: NftStatement[]): string | null {
  for (const s of statements) {
    if (s.kind === 'verdict') return s.target ?? s.verdict;
    if (s.kind === 'vmap') return 'vmap';
    if (s.kind === 'nat') return s.type;
    if (s.kind === 'masquerade') return 'masquerade';
  }
  return null;
}

function nftCounter(statements: NftStatement[]): { packets?: number; bytes?: number } {
  for (const s of statements) {
    if (s.kind === 'counter' && s.packets !== null)
      return s.bytes !== null ? { packets: s.packets, bytes: s.bytes } : { packets: s.packets };
  }
  return {};
}
