// The DNS records cluster DNS (CoreDNS' kubernetes plugin) serves for Services, per the
// Kubernetes DNS specification: A/AAAA, SRV for named ports, headless per-endpoint records, CNAME.
import { canonicalIPSloppy, ipFamilySloppy } from '../common/ip-sloppy.js';
import { endpointSlicesFromPods } from '../endpoints/from-pods.js';
import type { ClusterState, EndpointSlice, Service } from '../model/types.js';

export interface DnsRecord {
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'CNAME';
  /** Address (A/AAAA), target host (SRV, CNAME). */
  value: string;
  /** SRV only. */
  port?: number;
  /** `namespace/name` of the Service the record comes from. */
  service: string;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const addressRecord = (name: string, ip: string, service: string): DnsRecord => ({
  name,
  type: ipFamilySloppy(ip) === 6 ? 'AAAA' : 'A',
  value: ip,
  service,
});

/** `10.1.2.3` → `10-1-2-3`, `fd00::1` → `fd00--1`: the label used for endpoints without hostname. */
export const dashedIP = (ip: string): string => ip.replaceAll('.', '-').replaceAll(':', '-');

function headlessRecords(
  svc: Service,
  base: string,
  slices: readonly EndpointSlice[],
  id: string,
): DnsRecord[] {
  const out: DnsRecord[] = [];
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  const srv = new Map<string, DnsRecord>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    for (const ep of slice.endpoints ?? []) {
      if (!publishNotReady && ep.conditions?.ready === false) continue;
      for (const raw of Array.isArray(ep.addresses) ? ep.addresses : []) {
        const ip = canonicalIPSloppy(raw) ?? raw;
        const host = `${ep.hostname ?? dashedIP(ip)}.${base}`;
        out.push(addressRecord(base, ip, id));
        out.push(addressRecord(host, ip, id));
        for (const p of slice.ports ?? []) {
          if (!p.name || p.port === null || p.port === undefined) continue;
          const name = `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`;
          srv.set(`${name}|${host}|${p.port}`, { name, type: 'SRV', value: host, port: p.port, service: id });
        }
      }
    }
  }
  return [...dedupe(out), ...srv.values()];
}

function dedupe(records: DnsRecord[]): DnsRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const k = `${r.name}|${r.type}|${r.value}|${r.port ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Every record served for the Services of `state` under `clusterDomain`. A headless Service
 * without EndpointSlices in `state` gets the slices its selector would produce from `state.pods`.
 */
export function dnsRecords(
  state: Pick<ClusterState, 'services' | 'endpointSlices'> & Partial<Pick<ClusterState, 'pods'>>,
  clusterDomain = 'cluster.local',
): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const svc of state.services) {
    const ns = svc.metadata.namespace ?? 'default';
    const id = `${ns}/${svc.metadata.name}`;
    const base = `${svc.metadata.name}.${ns}.svc.${clusterDomain}`;
    if (svc.spec.type === 'ExternalName') {
      if (svc.spec.externalName)
        out.push({ name: base, type: 'CNAME', value: svc.spec.externalName, service: id });
      continue;
    }
    if (svc.spec.clusterIP === 'None') {
      let slices = state.endpointSlices.filter(
        (s) =>
          (s.metadata.namespace ?? 'default') === ns &&
          s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name,
      );
      if (slices.length === 0 && state.pods) slices = endpointSlicesFromPods([svc], state.pods);
      out.push(...headlessRecords(svc, base, slices, id));
      continue;
    }
    const ips = (svc.spec.clusterIPs?.length ? svc.spec.clusterIPs : [svc.spec.clusterIP ?? ''])
      .map((ip) => canonicalIPSloppy(ip))
      .filter((ip): ip is string => ip !== null);
    for (const ip of ips) out.push(addressRecord(base, ip, id));
    for (const p of svc.spec.ports ?? []) {
      if (!p.name) continue;
      out.push({
        name: `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`,
        type: 'SRV',
        value: base,
        port: p.port,
        service: id,
      });
    }
  }
  return out;
}
