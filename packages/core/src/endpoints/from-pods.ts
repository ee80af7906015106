// Emulation of the EndpointSlice controller: which slices the control plane would write for
// Services with a selector, given the Pods (and optionally Nodes, for zones).
import { parseIPSloppy } from '../common/ip-sloppy.js';
import type {
  Endpoint,
  EndpointPort,
  EndpointSlice,
  Node,
  Pod,
  Service,
  ServicePort,
} from '../model/types.js';
import { base32Encode } from '../naming/base32.js';
import { sha256 } from '../naming/sha256.js';
import { HEADLESS_LABEL, SERVICE_NAME_LABEL } from './service-ports.js';

const MAX_ENDPOINTS_PER_SLICE = 100;
const MANAGED_BY = 'endpointslice-controller.k8s.io';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

export const selectorMatches = (
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);

export const isPodReady = (pod: Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** All of a pod's IPs (podIPs, else podIP). */
export function podIPs(pod: Pod): string[] {
  const list = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip) => ip !== '');
  if (list.length > 0) return list;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/** The pod's port for a Service port (podutil.FindPort), or null when a named port is missing. */
export function resolveTargetPort(pod: Pod, sp: ServicePort): number | null {
  const target = sp.targetPort;
  if (target === undefined || target === 0 || target === '') return sp.port;
  if (typeof target === 'number') return target;
  if (/^[0-9]+$/.test(target)) return Number.parseInt(target, 10);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? [])
      if (cp.name === target && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
  }
  return null;
}

function addressTypes(svc: Service, pods: readonly Pod[]): Array<'IPv4' | 'IPv6'> {
  if (svc.spec.ipFamilies && svc.spec.ipFamilies.length > 0) return svc.spec.ipFamilies;
  const fam = parseIPSloppy(svc.spec.clusterIP ?? '')?.family;
  if (fam === 6) return ['IPv6'];
  if (fam === 4) return ['IPv4'];
  // Headless without families: follow the pods' addresses.
  const seen = new Set(pods.flatMap((p) => podIPs(p).map((ip) => parseIPSloppy(ip)?.family)));
  return seen.has(4) || !seen.has(6) ? ['IPv4'] : ['IPv6'];
}

const sliceSuffix = (seed: string): string => base32Encode(sha256(seed)).slice(0, 5).toLowerCase();

/**
 * The EndpointSlices the controller would maintain. Services without a selector (their slices are
 * hand-written) and ExternalName Services produce nothing. Only pods with an IP are included;
 * terminating pods are kept with `terminating: true`; pods whose named targetPort cannot be
 * resolved are grouped into slices without that port, as the controller does.
 */
export function endpointSlicesFromPods(
  services: readonly Service[],
  pods: readonly Pod[],
  nodes: readonly Node[] = [],
): EndpointSlice[] {
  const zoneOf = new Map(nodes.map((n) => [n.metadata.name, n.metadata.labels?.[ZONE_LABEL]]));
  const out: EndpointSlice[] = [];
  for (const svc of services) {
    const selector = svc.spec.selector;
    if (!selector || svc.spec.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace ?? 'default';
    const selected = pods.filter(
      (p) =>
        (p.metadata.namespace ?? 'default') === ns &&
        selectorMatches(selector, p.metadata.labels) &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed' &&
        podIPs(p).length > 0,
    );
    const headless = svc.spec.clusterIP === 'None';
    for (const addressType of addressTypes(svc, selected)) {
      const family = addressType === 'IPv4' ? 4 : 6;
      // Group pods by their resolved port list: one slice set per distinct list.
      const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
      for (const pod of selected) {
        const address = podIPs(pod).find((ip) => parseIPSloppy(ip)?.family === family);
        if (address === undefined) continue;
        const ports: EndpointPort[] = [];
        for (const sp of svc.spec.ports ?? []) {
          const port = resolveTargetPort(pod, sp);
          if (port === null) continue;
          ports.push({
            name: sp.name ?? '',
            port,
            protocol: sp.protocol ?? 'TCP',
            ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}),
          });
        }
        const key = JSON.stringify(ports);
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { ports, endpoints: [] }));
        const publish = svc.spec.publishNotReadyAddresses === true;
        const terminating = pod.metadata.deletionTimestamp !== undefined;
        // As the controller: serving is the pod's readiness; ready also requires not terminating,
        // unless the Service publishes not-ready addresses.
        const serving = isPodReady(pod);
        const ready = publish || (serving && !terminating);
        const nodeName = pod.spec?.nodeName;
        const zone = nodeName !== undefined ? zoneOf.get(nodeName) : undefined;
        const hostname = pod.spec?.hostname;
        group.endpoints.push({
          addresses: [address],
          conditions: { ready, serving, terminating },
          ...(hostname && pod.spec?.subdomain === svc.metadata.name ? { hostname } : {}),
          ...(nodeName !== undefined ? { nodeName } : {}),
          ...(zone !== undefined ? { zone } : {}),
          targetRef: {
            kind: 'Pod',
            namespace: ns,
            name: pod.metadata.name,
            ...(pod.metadata.uid !== undefined ? { uid: pod.metadata.uid } : {}),
          },
        });
      }
      // With nothing selected the controller still keeps one empty placeholder slice.
      if (groups.size === 0) groups.set('placeholder', { ports: [], endpoints: [] });
      for (const [key, group] of groups) {
        for (let i = 0; i === 0 || i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
          const name = `${svc.metadata.name}-${sliceSuffix(`${ns}/${svc.metadata.name}/${addressType}/${key}/${i}`)}`;
          out.push({
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              name,
              namespace: ns,
              labels: {
                ...(svc.metadata.labels ?? {}),
                [SERVICE_NAME_LABEL]: svc.metadata.name,
                'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
                ...(headless ? { [HEADLESS_LABEL]: '' } : {}),
              },
              ownerReferences: [
                {
                  kind: 'Service',
                  name: svc.metadata.name,
                  ...(svc.metadata.uid ? { uid: svc.metadata.uid } : {}),
                },
              ],
            },
            addressType,
            endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE),
            ports: group.ports,
          });
        }
      }
    }
  }
  return out;
}
