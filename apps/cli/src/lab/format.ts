// The lab report as people read it in a terminal.
import { percent, table } from '../output/format.js';
import type { LabReport, LabTargetResult } from './types.js';

function targetHeading(t: LabTargetResult): string {
  const affinity = t.affinity ? ', ClientIP affinity' : '';
  return `${t.ok ? 'PASS' : 'FAIL'}  ${t.service} ${t.protocol} via ${t.entry} ${t.dst}:${t.dport} from ${t.origin} ${t.src} (${t.connections} ${t.affinity ? 'clients' : 'connections'}${affinity})`;
}

function targetBody(t: LabTargetResult): string[] {
  const rows = [
    ['outcome', 'predicted', 'expected', 'observed', 'tolerance', ''],
    ...t.outcomes.map((o) => [
      o.key,
      percent(o.predicted),
      (o.predicted * t.connections).toFixed(1),
      String(o.observed),
      `±${o.tolerance.toFixed(1)}`,
      o.ok ? 'ok' : 'OUT OF TOLERANCE',
    ]),
  ];
  const checks = t.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  return [...table(rows).split('\n'), ...checks, ...t.notes].map((l) => `      ${l}`);
}

/** Summary line, then every target (failures in full, passes in one line plus their table). */
export function formatLabReport(report: LabReport): string {
  const lines: string[] = [];
  const where = `${report.scenario} scenario, node ${report.node || '?'}, ${report.mode} mode`;
  if (report.status === 'skipped') {
    lines.push(`lab skipped: ${report.reason ?? 'unknown reason'}`);
    if (report.node || report.scenario) lines.push(`  (${where})`);
    return [...lines, ...report.notes.map((n) => `note: ${n}`)].join('\n');
  }
  const passed = report.targets.filter((t) => t.ok).length;
  lines.push(
    `lab ${report.status}: ${passed}/${report.targets.length} targets agree with the tracer (${where}, ${report.connectionsPerTarget} connections per target, ${(report.durationMs / 1000).toFixed(1)} s)`,
  );
  if (report.reason) lines.push(`  ${report.reason}`);
  for (const t of report.targets) {
    lines.push(targetHeading(t));
    lines.push(...targetBody(t));
  }
  lines.push(...report.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}
