// IPVS mode on 10,000 Services × 5 endpoints: generate, read the three dumps, graph, and trace one
// packet through iptables + IPVS as the server does (traceDataplane over addDump).
import {
  addDump,
  buildIpvsGraph,
  defaultProxySettings,
  emptyDataplane,
  generateIpvs,
  parseIpset,
  parseIpvsadm,
  traceDataplane,
} from '@svcpath/core';
import { medianMs, peakRssMb, report, timeOnce } from '../measure.js';
import { BENCH_NODE, BENCH_NODE_IP, syntheticCluster } from '../synthetic-cluster.js';

const S = 'ipvs';
const cluster = syntheticCluster(10_000, 5);
const settings = {
  ...defaultProxySettings(BENCH_NODE, [BENCH_NODE_IP]),
  mode: 'ipvs' as const,
  clusterCIDRs: ['10.32.0.0/11'],
  detectLocalMode: 'ClusterCIDR' as const,
};
const gen = timeOnce(() => generateIpvs(cluster, settings, { family: 4 }));
const out = gen.value;
report(S, 'generate virtual servers + ipsets + iptables (10,000 Services × 5 endpoints)', gen.ms, 'ms');
report(
  S,
  'generate (median of 3 more)',
  medianMs(3, () => generateIpvs(cluster, settings, { family: 4 })),
  'ms',
);
report(S, `ipvsadm -S -n dump (${out.services.length} virtual services)`, out.ipvs.length / 1e6, 'MB');
report(S, 'ipset save dump', out.ipset.length / 1e6, 'MB');
report(S, 'iptables-save dump', out.iptables.length / 1e6, 'MB');

const ipvsParse = timeOnce(() => parseIpvsadm(out.ipvs));
report(S, `parseIpvsadm (${out.ipvs.split('\n').length} lines)`, ipvsParse.ms, 'ms');
const ipsetParse = timeOnce(() => parseIpset(out.ipset));
report(S, `parseIpset (${out.ipset.split('\n').length} lines)`, ipsetParse.ms, 'ms');
const issues = ipvsParse.value.issues.length + ipsetParse.value.issues.length;
if (issues > 0) process.stdout.write(`parse issues: ${issues}\n`);

const graph = timeOnce(() =>
  buildIpvsGraph(ipvsParse.value, { names: out.names, nodeAddresses: [BENCH_NODE_IP] }),
);
report(S, `graph every virtual service (${graph.value.services.length} Service ports)`, graph.ms, 'ms');

const load = timeOnce(() => {
  let dp = emptyDataplane();
  dp = addDump(dp, 'iptables', out.iptables);
  dp = addDump(dp, 'ipvs', out.ipvs);
  return addDump(dp, 'ipset', out.ipset);
});
report(S, 'addDump of iptables + ipvs + ipset (parse all three)', load.ms, 'ms');
const dp = load.value;
const packet = { src: '10.40.1.7', dst: '10.96.0.25', dport: 80, proto: 'tcp' as const };
const node = { localAddresses: [BENCH_NODE_IP] };
const first = timeOnce(() => traceDataplane(dp, packet, node));
report(S, 'first trace through iptables + IPVS', first.ms, 'ms');
report(
  S,
  `trace one packet (median of 200, ${first.value.outcomes.length} outcomes)`,
  medianMs(200, () => traceDataplane(dp, packet, node)),
  'ms',
);
report(S, 'peak memory (generate + parse + graph + trace)', peakRssMb(), 'MB');
