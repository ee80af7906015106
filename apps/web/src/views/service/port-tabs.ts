import type { ServiceGraph, ServicePortDto } from '@svcpath/core';

/** The port part of `namespace/name:port` ('' for an unnamed single port). */
export const portNameOf = (service: string): string => {
  const slash = service.indexOf('/');
  const colon = service.indexOf(':', slash + 1);
  return colon < 0 ? '' : service.slice(colon + 1);
};

export function portOf(graph: ServiceGraph, ports: readonly ServicePortDto[]): ServicePortDto | null {
  const name = portNameOf(graph.service);
  return ports.find((p) => p.name === name) ?? (ports.length === 1 ? (ports[0] ?? null) : null);
}

export function portLabel(graph: ServiceGraph, ports: readonly ServicePortDto[]): string {
  const p = portOf(graph, ports);
  if (!p) return portNameOf(graph.service) || graph.service;
  return `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`;
}
