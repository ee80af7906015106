import type { ParsedDumpDto } from '@svcpath/core';

/** Pure helpers for the dump browser. */

export interface RuleHit {
  table: string;
  chain: string;
  index: number;
  line: number;
  text: string;
}

/** Case-insensitive search across every rule of every chain, capped so huge dumps stay fast. */
export function searchRules(
  dump: ParsedDumpDto,
  query: string,
  limit = 500,
): { hits: RuleHit[]; truncated: boolean } {
  const q = query.trim().toLowerCase();
  const hits: RuleHit[] = [];
  if (!q) return { hits, truncated: false };
  for (const t of dump.tables)
    for (const c of t.chains)
      for (const r of c.rules)
        if (r.text.toLowerCase().includes(q) || c.name.toLowerCase().includes(q)) {
          if (hits.length >= limit) return { hits, truncated: true };
          hits.push({ table: t.name, chain: c.name, index: r.index, line: r.line, text: r.text });
        }
  return { hits, truncated: false };
}

/** Largest packet counter in the dump; 0 when the dump has no counters. */
export function maxPackets(dump: ParsedDumpDto): number {
  let max = 0;
  for (const t of dump.tables)
    for (const c of t.chains)
      for (const r of c.rules) if (r.packets !== undefined && r.packets > max) max = r.packets;
  return max;
}

/** Heat in [0, 1] on a log scale, so a rule with 10 packets still shows next to one with 10 million. */
export const heat = (packets: number | undefined, max: number): number =>
  packets === undefined || max <= 0 || packets <= 0 ? 0 : Math.log1p(packets) / Math.log1p(max);

/** Whether a rule's target is a chain in the same table (so it can be opened). */
export const chainExists = (dump: ParsedDumpDto, table: string, chain: string | null): boolean =>
  chain !== null && dump.tables.some((t) => t.name === table && t.chains.some((c) => c.name === chain));

/**
 * The chain a link points at. IPVS virtual servers are named differently in the graph
 * (`TCP 10.96.0.10:80`) and in the dump (`-A -t 10.96.0.10:80 -s rr`): match them by address.
 */
export function findChain(dump: ParsedDumpDto, table: string, name: string): string | null {
  const t = dump.tables.find((x) => x.name === table);
  if (!t) return null;
  if (t.chains.some((c) => c.name === name)) return name;
  const vip = /(\[[0-9a-f:]+\]|\d{1,3}(?:\.\d{1,3}){3}):(\d+)/i.exec(name)?.[0];
  const proto = /\b(TCP|UDP|SCTP)\b/i.exec(name)?.[1]?.toLowerCase();
  const flag = proto === 'udp' ? '-u' : proto === 'sctp' ? '--sctp-service' : '-t';
  if (!vip) return null;
  return (
    t.chains.find((c) => c.name.includes(`${flag} ${vip}`))?.name ??
    t.chains.find((c) => c.name.includes(vip))?.name ??
    null
  );
}
