// Which addresses the lab connects to for each Service port, and from where.
import type { GeneratedServicePort } from '@svcpath/core';
import type { ServedEndpoint } from './scripts.js';
import { LAB_NET } from './network.js';
import type { LabEntry, LabOrigin } from './types.js';

export interface PlannedTarget {
  service: string;
  protocol: 'TCP' | 'UDP';
  entry: LabEntry;
  origin: LabOrigin;
  /** The address the connections come from (before the affinity client pool). */
  src: string;
  dst: string;
  dport: number;
}

/** Service ports probed at most (each target costs one probe run). */
export const MAX_SERVICE_PORTS = 40;

/**
 * Every IPv4 entry of every TCP/UDP Service port from the off-node client; the cluster IP and
 * NodePort also from the node itself (host-originated traffic starts at OUTPUT); the cluster IP
 * also from the node's local pod, when there is one.
 */
export function planTargets(
  ports: readonly GeneratedServicePort[],
  localPodIP: string | null,
): {
  targets: PlannedTarget[];
  notes: string[];
} {
  const notes: string[] = [];
  const targets: PlannedTarget[] = [];
  const usable = ports.filter(
    ({ port }) => port.protocol !== 'SCTP' && port.clusterIP !== '' && port.family === 4,
  );
  const sctp = ports.filter(({ port }) => port.protocol === 'SCTP').length;
  if (sctp) notes.push(`${sctp} SCTP service port(s) not probed (the probe speaks TCP and UDP)`);
  if (usable.length > MAX_SERVICE_PORTS)
    notes.push(`only the first ${MAX_SERVICE_PORTS} of ${usable.length} service ports probed`);
  for (const { port } of usable.slice(0, MAX_SERVICE_PORTS)) {
    const protocol = port.protocol === 'UDP' ? 'UDP' : 'TCP';
    const base = { service: port.servicePortName, protocol } as const;
    const add = (entry: PlannedTarget['entry'], origin: LabOrigin, dst: string, dport: number) => {
      const src = origin === 'node' ? LAB_NET.nodeIP : origin === 'pod' ? localPodIP : LAB_NET.clientIP;
      if (src !== null) targets.push({ ...base, entry, origin, src, dst, dport });
    };
    add('clusterIP', 'client', port.clusterIP, port.port);
    add('clusterIP', 'node', port.clusterIP, port.port);
    add('clusterIP', 'pod', port.clusterIP, port.port);
    if (port.nodePort > 0) {
      add('nodePort', 'client', LAB_NET.nodeIP, port.nodePort);
      add('nodePort', 'node', LAB_NET.nodeIP, port.nodePort);
    }
    for (const ip of port.externalIPs) add('externalIP', 'client', ip, port.port);
    for (const ip of port.loadBalancerVIPs) add('loadBalancer', 'client', ip, port.port);
  }
  return { targets, notes };
}

/** Every distinct endpoint socket the pods must serve. */
export function servedEndpoints(ports: readonly GeneratedServicePort[]): ServedEndpoint[] {
  const byKey = new Map<string, ServedEndpoint>();
  for (const { port } of ports) {
    if (port.protocol === 'SCTP') continue;
    const proto = port.protocol === 'UDP' ? 'udp' : 'tcp';
    for (const ep of port.endpoints) {
      if (!ep.ip.includes('.')) continue;
      const key = `${proto} ${ep.endpoint}`;
      if (!byKey.has(key))
        byKey.set(key, {
          ip: ep.ip,
          port: ep.port,
          proto,
          name: `${port.namespace}/${port.serviceName} ${ep.endpoint}`,
        });
    }
  }
  return [...byKey.values()];
}

/**
 * The endpoint that plays the node's local pod: one on the lab node, preferably of a TCP port
 * with several endpoints, so that its connections to its own Service show both the hairpin
 * (masqueraded) and the plain pod-to-pod case.
 */
export function chooseLocalPod(ports: readonly GeneratedServicePort[]): string | null {
  const tcp = ports.filter(
    ({ port }) => port.protocol === 'TCP' && port.family === 4 && port.clusterIP !== '',
  );
  const local = (min: number) =>
    tcp
      .find(({ port }) => port.endpoints.length >= min && port.endpoints.some((e) => e.isLocal))
      ?.port.endpoints.find((e) => e.isLocal)?.ip;
  return local(2) ?? local(1) ?? null;
}
