// iptables generator: 10,000 Services × 5 endpoints; writes the dump the next sections read.
import { writeFileSync } from 'node:fs';
import { defaultProxySettings, generateIptables } from '@svcpath/core';
import { fixture } from '../fixtures.js';
import { medianMs, peakRssMb, report, timeOnce } from '../measure.js';
import { BENCH_NODE, BENCH_NODE_IP, syntheticCluster } from '../synthetic-cluster.js';

const S = 'iptables';
const cluster = syntheticCluster(10_000, 5);
const settings = {
  ...defaultProxySettings(BENCH_NODE, [BENCH_NODE_IP]),
  clusterCIDRs: ['10.32.0.0/11'],
  detectLocalMode: 'ClusterCIDR' as const,
};
const gen = timeOnce(() => generateIptables(cluster, settings, { family: 4, format: 'save' }));
report(S, 'generate, first run (10,000 Services × 5 endpoints)', gen.ms, 'ms');
report(
  S,
  'generate (median of 3 more)',
  medianMs(3, () => generateIptables(cluster, settings, { family: 4, format: 'save' })),
  'ms',
  '≤ 1000',
);
const text = gen.value.text;
report(S, 'dump lines', text.split('\n').length, 'lines');
report(S, 'dump size', text.length / 1e6, 'MB');
report(S, 'peak memory while generating', peakRssMb(), 'MB');
writeFileSync(fixture('iptables-10k.txt'), text);
