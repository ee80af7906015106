import type { GraphResult } from '@svcpath/core';
import { graphDataplane } from '@svcpath/core';
import { percent, table } from '../output/format.js';
import type { GraphOptions } from '../input/schemas.js';
import { loadDumps } from './load-dumps.js';

export function runGraph(opts: GraphOptions): { text: string; result: GraphResult } {
  const dp = loadDumps(opts.dump);
  const result = graphDataplane(dp, opts.service === undefined ? {} : { service: opts.service });
  if (opts.json) {
    // The contract's shape; the drawing's nodes and edges stay out of the command's JSON.
    const services = result.services.map((s) => ({
      service: s.service,
      protocol: s.protocol,
      chain: s.chain,
      entries: s.entries.map((e) => ({ kind: e.kind, ip: e.ip, port: e.port })),
      endpoints: s.endpoints,
    }));
    return { text: JSON.stringify({ services }, null, 2), result };
  }
  return {
    text: formatGraph(
      result,
      dp.issues.map((i) => `${i.line !== null ? `line ${i.line}: ` : ''}${i.message}`),
    ),
    result,
  };
}

export function formatGraph(g: GraphResult, issues: string[]): string {
  const lines: string[] = issues.map((i) => `warning: ${i}`);
  if (g.services.length === 0) lines.push('No Service found in the dump.');
  for (const s of g.services) {
    lines.push('', `${s.service} (${s.protocol})${s.chain ? `  via ${s.chain}` : ''}`);
    const entries = s.entries.map((e) => `${e.kind} ${e.ip ?? '*'}:${e.port}`);
    if (entries.length) lines.push(`  entries: ${entries.join(', ')}`);
    if (s.endpoints.length === 0) lines.push('  no endpoints');
    else lines.push(table(s.endpoints.map((e) => ['   ', e.address, percent(e.probability), e.chain ?? ''])));
    for (const w of s.warnings) lines.push(`  warning: ${w}`);
  }
  return lines.join('\n').replace(/^\n/, '');
}
