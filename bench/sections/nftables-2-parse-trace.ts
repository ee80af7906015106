// nftables engine on the 10,000-Service ruleset: parse, graph, trace, and `nft -c -f` for scale.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildNftGraph, parseNftText, traceNftables } from '@svcpath/core';
import { fixture } from '../fixtures.js';
import { medianMs, peakRssMb, report, timeOnce } from '../measure.js';
import { BENCH_NODE_IP } from '../synthetic-cluster.js';

const S = 'nftables';
const file = fixture('nftables-10k.txt');
const text = readFileSync(file, 'utf8');
const base = peakRssMb();
const parse = timeOnce(() => parseNftText(text));
const rs = parse.value;
report(S, 'parse, first run', parse.ms, 'ms');
report(S, 'peak memory after parse (ruleset text included)', peakRssMb(), 'MB', '≤ 400');
report(S, 'of which before parsing (node + ruleset text)', base, 'MB');
report(
  S,
  'parse (median of 3 more)',
  medianMs(3, () => parseNftText(text)),
  'ms',
  '≤ 1000',
);
if (rs.issues.length > 0)
  process.stdout.write(`parse issues: ${rs.issues.length}, first: ${rs.issues[0]?.message ?? ''}\n`);

const graph = timeOnce(() => buildNftGraph(rs));
report(S, `graph every Service port (${graph.value.services.length})`, graph.ms, 'ms');

const packet = { src: '10.40.1.7', dst: '10.96.0.25', dport: 80, proto: 'tcp' as const };
const node = { localAddresses: [BENCH_NODE_IP] };
const first = timeOnce(() => traceNftables(rs, packet, node));
report(S, 'first trace (indexes the verdict maps)', first.ms, 'ms');
report(
  S,
  `trace one packet (median of 200, ${first.value.outcomes.length} outcomes)`,
  medianMs(200, () => traceNftables(rs, packet, node)),
  'ms',
  '≤ 1',
);

// `nft -c` checks the whole ruleset in the kernel without committing it (needs root and nf_tables).
const check = timeOnce(() => {
  try {
    execFileSync('nft', ['-c', '-f', file], { stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
    return null;
  } catch (e) {
    const err = e as Error & { stderr?: Buffer };
    return (err.stderr?.toString() || err.message).split('\n').slice(0, 3).join(' | ') || 'failed';
  }
});
if (check.value === null) {
  report(S, 'nft -c -f on the same ruleset', check.ms, 'ms');
  report(S, 'svcpath parse / nft -c -f', parse.ms / check.ms, 'ratio');
} else {
  process.stdout.write(`nft -c -f could not check the ruleset here: ${check.value}\n`);
}
report(S, 'peak memory (parse + graph + trace)', peakRssMb(), 'MB');
