import type { NodeDataplane, TraceResult } from '@svcpath/core';
import { traceDataplane } from '@svcpath/core';
import { percent, table } from '../output/format.js';
import type { TraceOptions } from '../input/schemas.js';
import { loadDumps } from './load-dumps.js';

export function runTrace(opts: TraceOptions): {
  text: string;
  result: TraceResult;
  dataplane: NodeDataplane;
} {
  const dataplane = loadDumps(opts.dump);
  const result = traceDataplane(
    dataplane,
    {
      src: opts.src,
      dst: opts.dst,
      dport: opts.dport,
      proto: opts.proto,
      ...(opts.inInterface ? { inInterface: opts.inInterface } : {}),
      ...(opts.outInterface ? { outInterface: opts.outInterface } : {}),
    },
    { localAddresses: opts.nodeIp },
  );
  return {
    text: opts.json ? JSON.stringify(result, null, 2) : formatTrace(result, dataplane),
    result,
    dataplane,
  };
}

export function formatTrace(r: TraceResult, dp: NodeDataplane): string {
  const p = r.packet;
  const lines: string[] = [];
  lines.push(
    `Packet ${p.src} → ${p.dst}:${p.dport}/${p.proto}, first packet of a new connection; enters at ${p.startHook}` +
      (p.startHook === 'OUTPUT' ? ' (the source is a node address)' : ''),
  );
  for (const w of [
    ...dp.issues
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.line !== null ? `line ${i.line}: ` : ''}${i.message}`),
    ...r.warnings,
  ]) {
    lines.push(`warning: ${w}`);
  }
  r.outcomes.forEach((o, i) => {
    const to = o.dnat ? ` → ${o.dnat}` : '';
    const masq = o.masquerade ? ', masqueraded (source becomes the node address)' : '';
    lines.push('', `Outcome ${i + 1}: ${percent(o.probability)}  ${o.verdict}${to}${masq}`);
    if (o.affinity)
      lines.push(
        `  session affinity: later connections from this client stick to it for ${o.affinity.timeoutSeconds} s`,
      );
    for (const a of o.assumptions)
      lines.push(`  assumes ${a.match} ${a.assumed} (${a.table} ${a.chain} #${a.rule})`);
    for (const n of o.notes) lines.push(`  note: ${n}`);
    lines.push(
      table(
        o.path.map((s) => [
          '   ',
          s.table,
          s.chain,
          s.rule === null ? 'policy' : `#${s.rule}`,
          s.action,
          s.rule === null ? '' : s.text,
        ]),
      ),
    );
  });
  if (r.outcomes.length === 0) lines.push('', 'No outcome: the ruleset is empty for this packet.');
  return lines.join('\n');
}
