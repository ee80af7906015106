// What kube-proxy would silently skip or ignore in the Services and EndpointSlices it reads,
// as ParseIssues, so that explanations can say why a rule is missing.
import { issue } from '../common/issues.js';
import type { ParseIssue } from '../common/issues.js';
import { isCanonicalIPv4 } from '../common/ip.js';
import { parseCIDRSloppy, parseIPSloppy } from '../common/ip-sloppy.js';
import type { EndpointSlice, Service } from '../model/types.js';
import {
  externalPolicyLocal,
  ignoredByProxyLabels,
  SERVICE_NAME_LABEL,
  SERVICE_PROXY_NAME_LABEL,
} from './service-ports.js';

function serviceIssues(svc: Service, i: number, out: ParseIssue[]): void {
  const id = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
  const at = (p: string) => `services[${i}]${p}`;
  if (svc.metadata.labels && SERVICE_PROXY_NAME_LABEL in svc.metadata.labels) {
    out.push(
      issue(
        'warning',
        null,
        `${id}: label ${SERVICE_PROXY_NAME_LABEL} makes the stock kube-proxy ignore this Service`,
        at('.metadata.labels'),
      ),
    );
  }
  const cip = svc.spec.clusterIP ?? '';
  if (svc.spec.type === 'ExternalName' || cip === 'None') return;
  for (const ip of svc.spec.clusterIPs?.length ? svc.spec.clusterIPs : cip === '' ? [] : [cip]) {
    if (!parseIPSloppy(ip))
      out.push(
        issue(
          'error',
          null,
          `${id}: cluster IP "${ip}" is not an IP address; no rules`,
          at('.spec.clusterIP'),
        ),
      );
  }
  (svc.spec.externalIPs ?? []).forEach((ip, j) => {
    if (!parseIPSloppy(ip))
      out.push(
        issue(
          'warning',
          null,
          `${id}: external IP "${ip}" is not an IP address; ignored`,
          at(`.spec.externalIPs[${j}]`),
        ),
      );
  });
  (svc.spec.loadBalancerSourceRanges ?? []).forEach((r, j) => {
    if (!parseCIDRSloppy(r.trim())) {
      out.push(
        issue(
          'warning',
          null,
          `${id}: source range "${r}" is not a CIDR; ignored`,
          at(`.spec.loadBalancerSourceRanges[${j}]`),
        ),
      );
    }
  });
  (svc.status?.loadBalancer?.ingress ?? []).forEach((ing, j) => {
    if (ing.ipMode === 'Proxy' && ing.ip) {
      out.push(
        issue(
          'warning',
          null,
          `${id}: load-balancer IP ${ing.ip} has ipMode Proxy; kube-proxy writes no rules for it`,
          at(`.status.loadBalancer.ingress[${j}]`),
        ),
      );
    }
  });
  if (svc.spec.externalTrafficPolicy === 'Local' && !externalPolicyLocal(svc)) {
    out.push(
      issue(
        'warning',
        null,
        `${id}: externalTrafficPolicy Local has no effect on a Service of type ${svc.spec.type || '""'} without external access`,
        at('.spec.externalTrafficPolicy'),
      ),
    );
  }
  if (svc.spec.type === 'LoadBalancer' && externalPolicyLocal(svc) && !svc.spec.healthCheckNodePort) {
    out.push(
      issue(
        'warning',
        null,
        `${id}: LoadBalancer with externalTrafficPolicy Local but no healthCheckNodePort`,
        at('.spec.healthCheckNodePort'),
      ),
    );
  }
}

function sliceIssues(
  slice: EndpointSlice,
  i: number,
  services: Set<string>,
  family: 4 | 6,
  out: ParseIssue[],
): void {
  const ns = slice.metadata.namespace ?? 'default';
  const id = `${ns}/${slice.metadata.name}`;
  const at = (p: string) => `endpointSlices[${i}]${p}`;
  const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  if (!svcName) {
    out.push(
      issue(
        'warning',
        null,
        `EndpointSlice ${id} has no ${SERVICE_NAME_LABEL} label; kube-proxy ignores it`,
        at('.metadata.labels'),
      ),
    );
    return;
  }
  if (ignoredByProxyLabels(slice.metadata.labels)) return;
  if (!services.has(`${ns}/${svcName}`)) {
    out.push(
      issue(
        'warning',
        null,
        `EndpointSlice ${id} belongs to Service ${ns}/${svcName}, which is absent`,
        at('.metadata.labels'),
      ),
    );
  }
  if (slice.addressType === 'FQDN' || slice.addressType !== (family === 4 ? 'IPv4' : 'IPv6')) return;
  (slice.ports ?? []).forEach((p, j) => {
    if (p.name === null || p.name === undefined)
      out.push(
        issue('warning', null, `EndpointSlice ${id}: port without a name is ignored`, at(`.ports[${j}]`)),
      );
    else if (!p.port)
      out.push(
        issue(
          'warning',
          null,
          `EndpointSlice ${id}: port "${p.name}" without a number is ignored`,
          at(`.ports[${j}]`),
        ),
      );
  });
  (slice.endpoints ?? []).forEach((ep, j) => {
    // Objects that skipped validation may lack the list; treat it as empty.
    const addresses: readonly string[] = Array.isArray(ep.addresses) ? ep.addresses : [];
    const first = addresses[0];
    if (first === undefined) return;
    const ip = isCanonicalIPv4(first) ? { family: 4 } : parseIPSloppy(first);
    if (!ip)
      out.push(
        issue(
          'warning',
          null,
          `EndpointSlice ${id}: address "${first}" is not an IP; endpoint ignored`,
          at(`.endpoints[${j}].addresses[0]`),
        ),
      );
    else if (ip.family !== family) {
      out.push(
        issue(
          'warning',
          null,
          `EndpointSlice ${id}: address ${first} does not match addressType ${slice.addressType}; ignored`,
          at(`.endpoints[${j}].addresses[0]`),
        ),
      );
    }
    if (addresses.length > 1) {
      out.push(
        issue(
          'warning',
          null,
          `EndpointSlice ${id}: only the first of ${addresses.length} addresses is used`,
          at(`.endpoints[${j}].addresses`),
        ),
      );
    }
  });
}

/** Problems in the inputs that change or suppress rules, for the proxier of `family`. */
export function proxyInputIssues(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  family: 4 | 6,
): ParseIssue[] {
  const out: ParseIssue[] = [];
  services.forEach((s, i) => serviceIssues(s, i, out));
  const names = new Set(services.map((s) => `${s.metadata.namespace ?? 'default'}/${s.metadata.name}`));
  slices.forEach((s, i) => sliceIssues(s, i, names, family, out));
  return out;
}
