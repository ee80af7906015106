// A parsed dump as the browsable table → chain → rule tree of ParsedDumpDto.
import type { IptablesRuleset, ParsedDumpDto } from '@svcpath/core';
import type { ParsedValue } from './engine.js';

type Tables = ParsedDumpDto['tables'];

export function dumpTables(value: ParsedValue | null): Tables {
  if (value === null) return [];
  switch (value.kind) {
    case 'iptables':
      return iptablesTables(value.ruleset);
    default:
      return [];
  }
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
