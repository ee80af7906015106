import { formatLabReport, runLab } from '../lab/index.js';
import type { LabCommandOptions } from '../input/schemas.js';

export async function runLabCommand(opts: LabCommandOptions): Promise<string> {
  const report = await runLab({
    mode: opts.mode,
    connections: opts.connections,
    timeoutMs: opts.timeoutMs,
    kernelTrace: opts.kernelTrace,
    ...(opts.cluster ? { clusterFile: opts.cluster } : {}),
    ...(opts.node ? { node: opts.node } : {}),
    ...(opts.clusterCidr ? { clusterCIDR: opts.clusterCidr } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (report.status === 'failed') process.exitCode = 1;
  return opts.json ? JSON.stringify(report, null, 2) : formatLabReport(report);
}
