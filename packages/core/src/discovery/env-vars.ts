// The Service environment variables the kubelet gives a container (docker-link style included).
import { joinHostPort } from '../common/ip.js';
import type { Service } from '../model/types.js';

export interface EnvVar {
  name: string;
  value: string;
}

const envName = (s: string): string => s.toUpperCase().replaceAll('-', '_');

const hasClusterIP = (svc: Service): boolean => {
  const ip = svc.spec.clusterIP ?? '';
  return ip !== '' && ip !== 'None' && svc.spec.type !== 'ExternalName';
};

/** Whether the Service existed before the pod (missing timestamps count as "before"). */
function createdBefore(svc: Service, podCreationTime: string): boolean {
  const s = svc.metadata.creationTimestamp;
  if (s === undefined) return true;
  const a = Date.parse(s);
  const b = Date.parse(podCreationTime);
  return Number.isNaN(a) || Number.isNaN(b) || a < b;
}

/**
 * Variables for one Service: `{SVC}_SERVICE_HOST`, `_SERVICE_PORT[_NAME]`, and the link variables;
 * none for a headless or ExternalName Service (the kubelet writes nothing for those).
 */
export function serviceEnvVarsFor(svc: Service): EnvVar[] {
  if (!hasClusterIP(svc)) return [];
  const name = envName(svc.metadata.name);
  const host = svc.spec.clusterIP ?? '';
  const ports = svc.spec.ports ?? [];
  const first = ports[0];
  if (first === undefined) return [];
  const out: EnvVar[] = [
    { name: `${name}_SERVICE_HOST`, value: host },
    { name: `${name}_SERVICE_PORT`, value: String(first.port) },
  ];
  for (const p of ports)
    if (p.name) out.push({ name: `${name}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
  const proto = (p: (typeof ports)[number]) => (p.protocol ?? 'TCP').toLowerCase();
  out.push({ name: `${name}_PORT`, value: `${proto(first)}://${joinHostPort(host, first.port)}` });
  for (const p of ports) {
    const prefix = `${name}_PORT_${p.port}_${(p.protocol ?? 'TCP').toUpperCase()}`;
    out.push(
      { name: prefix, value: `${proto(p)}://${joinHostPort(host, p.port)}` },
      { name: `${prefix}_PROTO`, value: proto(p) },
      { name: `${prefix}_PORT`, value: String(p.port) },
      { name: `${prefix}_ADDR`, value: host },
    );
  }
  return out;
}

/**
 * The variables a pod created at `podCreationTime` in `podNamespace` sees: Services of its
 * namespace created before it (with `enableServiceLinks`, the default), plus the API server's
 * `default/kubernetes` Service, which the kubelet always adds; headless and ExternalName Services
 * have no cluster IP and give nothing. Sorted by Service name.
 */
export function serviceEnvVars(
  services: readonly Service[],
  podNamespace: string,
  podCreationTime: string,
  opts: { enableServiceLinks?: boolean } = {},
): EnvVar[] {
  const links = opts.enableServiceLinks ?? true;
  const byName = new Map<string, Service>();
  for (const s of services) {
    if (!hasClusterIP(s) || !createdBefore(s, podCreationTime)) continue;
    const ns = s.metadata.namespace ?? 'default';
    const name = s.metadata.name;
    if (ns === 'default' && name === 'kubernetes') {
      if (!byName.has(name)) byName.set(name, s);
    } else if (ns === podNamespace && links) byName.set(name, s);
  }
  return [...byName.values()]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
    .flatMap(serviceEnvVarsFor);
}
