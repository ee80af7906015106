// nftables generator: 10,000 Services × 5 endpoints as `nft list ruleset` text; writes the dump the next section reads.
import { writeFileSync } from 'node:fs';
import { defaultProxySettings, generateNftables } from '@svcpath/core';
import { fixture } from '../fixtures.js';
import { medianMs, peakRssMb, report, timeOnce } from '../measure.js';
import { BENCH_NODE, BENCH_NODE_IP, syntheticCluster } from '../synthetic-cluster.js';

const S = 'nftables';
const cluster = syntheticCluster(10_000, 5);
const settings = {
  ...defaultProxySettings(BENCH_NODE, [BENCH_NODE_IP]),
  mode: 'nftables' as const,
  clusterCIDRs: ['10.32.0.0/11'],
  detectLocalMode: 'ClusterCIDR' as const,
};
const options = { family: 4 as const, format: 'ruleset' as const };
const gen = timeOnce(() => generateNftables(cluster, settings, options));
report(S, 'generate ruleset, first run (10,000 Services × 5 endpoints)', gen.ms, 'ms');
report(
  S,
  'generate (median of 3 more)',
  medianMs(3, () => generateNftables(cluster, settings, options)),
  'ms',
  '≤ 1000',
);
const text = gen.value.text;
if (gen.value.issues.length > 0)
  process.stdout.write(
    `generator issues: ${gen.value.issues.length}, first: ${gen.value.issues[0]?.message ?? ''}\n`,
  );
report(S, 'ruleset lines', text.split('\n').length, 'lines');
report(S, 'ruleset size', text.length / 1e6, 'MB');
report(S, 'peak memory while generating', peakRssMb(), 'MB');
writeFileSync(fixture('nftables-10k.txt'), text);
