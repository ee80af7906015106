// iptables engine on the 10,000-Service dump: parse, graph, trace, and iptables-restore for scale.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildIptablesGraph, parseIptables, traceIptables } from '@svcpath/core';
import { fixture } from '../fixtures.js';
import { medianMs, peakRssMb, report, timeOnce } from '../measure.js';
import { BENCH_NODE_IP } from '../synthetic-cluster.js';

const S = 'iptables';
const file = fixture('iptables-10k.txt');
const text = readFileSync(file, 'utf8');
const base = peakRssMb();
const parse = timeOnce(() => parseIptables(text));
const rs = parse.value;
report(S, 'parse, first run', parse.ms, 'ms');
report(S, 'peak memory after parse (dump text included)', peakRssMb(), 'MB', '≤ 400');
report(S, 'of which before parsing (node + dump text)', base, 'MB');
report(
  S,
  'parse (median of 3 more)',
  medianMs(3, () => parseIptables(text)),
  'ms',
  '≤ 1000',
);

const graph = timeOnce(() => buildIptablesGraph(rs));
report(S, `graph every Service port (${graph.value.services.length})`, graph.ms, 'ms');

const packet = { src: '10.40.1.7', dst: '10.96.0.25', dport: 80, proto: 'tcp' as const };
const node = { localAddresses: [BENCH_NODE_IP] };
const first = timeOnce(() => traceIptables(rs, packet, node));
report(S, 'first trace (indexes the long chains)', first.ms, 'ms');
report(
  S,
  `trace one packet (median of 200, ${first.value.outcomes.length} outcomes)`,
  medianMs(200, () => traceIptables(rs, packet, node)),
  'ms',
  '≤ 1',
);

const restore = timeOnce(() => {
  try {
    execFileSync('iptables-restore', ['--test', file], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'failed';
  }
});
if (restore.value === null) {
  report(S, 'iptables-restore --test on the same dump', restore.ms, 'ms');
  report(S, 'svcpath parse / iptables-restore --test', parse.ms / restore.ms, 'ratio');
} else {
  process.stdout.write(`iptables-restore --test could not run here: ${restore.value}\n`);
}
report(S, 'peak memory (parse + graph + trace)', peakRssMb(), 'MB');
