import type { NodeDto, ServiceSummaryDto } from '@svcpath/core';

/** Which Service (and port) a traced destination belongs to, so its graph can be shown. */
export interface TraceTarget {
  service: ServiceSummaryDto;
  portName: string;
  via: 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP';
}

export function findTraceTarget(
  services: readonly ServiceSummaryDto[],
  nodes: readonly NodeDto[],
  dst: string,
  dport: number,
  proto: string,
): TraceTarget | null {
  const p = proto.toUpperCase();
  const nodeIps = new Set(nodes.flatMap((n) => n.ips));
  for (const s of services) {
    for (const port of s.ports) {
      if (port.protocol !== p) continue;
      if (port.port === dport) {
        if (s.clusterIPs.includes(dst) || s.clusterIP === dst)
          return { service: s, portName: port.name, via: 'clusterIP' };
        if (s.loadBalancerIPs.includes(dst)) return { service: s, portName: port.name, via: 'loadBalancer' };
        if (s.externalIPs.includes(dst)) return { service: s, portName: port.name, via: 'externalIP' };
      }
      if (port.nodePort === dport && (nodeIps.has(dst) || dst === '127.0.0.1'))
        return { service: s, portName: port.name, via: 'nodePort' };
    }
  }
  return null;
}

/** Destinations a Service offers, for the quick-pick buttons. */
export function destinationsOf(
  s: ServiceSummaryDto,
  nodes: readonly NodeDto[],
): Array<{ label: string; dst: string; dport: number; proto: string }> {
  const out: Array<{ label: string; dst: string; dport: number; proto: string }> = [];
  for (const port of s.ports) {
    const proto = port.protocol.toLowerCase();
    const name = port.name ? ` (${port.name})` : '';
    for (const ip of s.clusterIPs.length ? s.clusterIPs : s.clusterIP ? [s.clusterIP] : [])
      out.push({ label: `cluster IP ${ip}:${port.port}/${proto}${name}`, dst: ip, dport: port.port, proto });
    if (port.nodePort)
      for (const n of nodes)
        for (const ip of n.ips)
          out.push({
            label: `node port ${ip}:${port.nodePort}/${proto} on ${n.name}${name}`,
            dst: ip,
            dport: port.nodePort,
            proto,
          });
    for (const ip of s.loadBalancerIPs)
      out.push({
        label: `load balancer ${ip}:${port.port}/${proto}${name}`,
        dst: ip,
        dport: port.port,
        proto,
      });
    for (const ip of s.externalIPs)
      out.push({ label: `external IP ${ip}:${port.port}/${proto}${name}`, dst: ip, dport: port.port, proto });
  }
  return out;
}
