// Diagnostics: what is wrong with the cluster's Services and the nodes' dataplanes, in words,
// each with a link to the view that explains it.
import type { FindingDto, ServiceSummaryDto } from '@svcpath/core';
import type { ClusterModel } from './cluster-model.js';

export function serviceHealthFindings(summary: ServiceSummaryDto): FindingDto[] {
  const service = `${summary.namespace}/${summary.name}`;
  const link = `/services/${summary.namespace}/${summary.name}`;
  return summary.healthReasons.map((message) => ({
    severity: summary.health === 'error' ? 'error' : 'warning',
    code: summary.health === 'error' ? 'no-endpoints' : 'endpoints-not-ready',
    message: `${service}: ${message}`,
    service,
    link,
  }));
}

export function nodeFindings(
  model: ClusterModel,
  node: string,
  deadline = model.driftDeadline(),
): FindingDto[] {
  const out: FindingDto[] = [];
  const dto = model.nodeDto(node, deadline);
  if (!dto) return out;
  if (!dto.ready)
    out.push({
      severity: 'warning',
      code: 'node-not-ready',
      message: `node ${node} is not Ready`,
      node,
      link: `/nodes/${node}`,
    });
  if (dto.dumps.length === 0) {
    out.push({
      severity: 'info',
      code: 'no-dump',
      message: `no dataplane dump for node ${node}: only the expected rules can be shown (run the agent or upload a dump)`,
      node,
      link: `/nodes/${node}`,
    });
  }
  for (const d of dto.dumps) {
    if (d.stale)
      out.push({
        severity: 'warning',
        code: 'stale-dump',
        message: `the ${d.kind} dump of node ${node} is stale (collected ${d.ageSeconds} s ago by ${d.source})`,
        node,
        link: `/nodes/${node}`,
      });
    const errors = d.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0)
      out.push({
        severity: 'warning',
        code: 'dump-parse-errors',
        message: `the ${d.kind} dump of node ${node} has ${errors.length} parse error(s), first at line ${errors[0]?.line ?? '?'}: ${errors[0]?.message ?? ''}`,
        node,
        link: `/nodes/${node}`,
      });
  }
  if (dto.driftPending)
    out.push({
      severity: 'info',
      code: 'drift-pending',
      message: `the expected rules of node ${node} are being generated to compare with its dump; its drift findings follow`,
      node,
      link: `/nodes/${node}`,
    });
  // Computed (and cached) by nodeDto unless pending or without a dump.
  const drift = dto.dumps.length === 0 || dto.driftPending ? [] : (model.drift(node) ?? []);
  for (const item of drift) {
    const [namespace, rest] = splitService(item.service);
    out.push({
      severity: 'warning',
      code: `drift-${item.code}`,
      message: `node ${node}: ${item.message}`,
      node,
      service: item.service,
      link: namespace && rest ? `/services/${namespace}/${rest}?node=${node}` : `/nodes/${node}`,
    });
  }
  return out;
}

/** `ns/name:port` → [`ns`, `name`]. */
export function splitService(service: string): [string | null, string | null] {
  const slash = service.indexOf('/');
  if (slash < 0) return [null, null];
  const rest = service.slice(slash + 1);
  const colon = rest.indexOf(':');
  return [service.slice(0, slash), colon < 0 ? rest : rest.slice(0, colon)];
}

export function allFindings(model: ClusterModel): FindingDto[] {
  const out: FindingDto[] = [];
  const deadline = model.driftDeadline();
  for (const node of model.nodeNames()) out.push(...nodeFindings(model, node, deadline));
  for (const summary of model.services.summaries) out.push(...serviceHealthFindings(summary));
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

export function findingsForService(model: ClusterModel, summary: ServiceSummaryDto): FindingDto[] {
  const key = `${summary.namespace}/${summary.name}`;
  const out = serviceHealthFindings(summary);
  const deadline = model.driftDeadline();
  for (const node of model.nodeNames()) {
    for (const f of nodeFindings(model, node, deadline)) {
      if (f.service !== undefined && splitService(f.service).join('/') === key) out.push(f);
    }
  }
  return out;
}
