// The cluster the lab programs: a small built-in one, or a cluster file and one of its nodes.
import {
  parseKubeObjects,
  type EndpointSlice,
  type ClusterState,
  type Service,
  type ServicePort,
} from '@svcpath/core';
import { readStructured } from '../input/read-input.js';

export interface LabScenario {
  /** `built-in` or the cluster file's path. */
  name: string;
  state: ClusterState;
  /** The node whose kube-proxy rules are loaded. */
  node: string;
  clusterCIDRs: string[];
  warnings: string[];
}

export const BUILTIN_NODE = 'lab-node';
const OTHER_NODE = 'other-node';
const NS = 'lab';

function service(
  name: string,
  clusterIP: string,
  ports: ServicePort[],
  spec: Partial<Service['spec']> = {},
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ipFamilies: ['IPv4'], ports, ...spec },
  };
}

/** A LoadBalancer whose ingress IP (TEST-NET-3, only ever reached inside the lab) admits `ranges`. */
function lbService(
  name: string,
  clusterIP: string,
  ingressIP: string,
  nodePort: number,
  ranges: string[],
): Service {
  const svc = service(
    name,
    clusterIP,
    [{ name: 'http', port: 80, targetPort: 8080, nodePort, protocol: 'TCP' }],
    {
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ranges,
    },
  );
  return { ...svc, status: { loadBalancer: { ingress: [{ ip: ingressIP }] } } };
}

/** One slice; endpoints as [ip, node] pairs, ports as [name, port, protocol]. */
function slice(
  svc: string,
  endpoints: Array<[string, string]>,
  ports: Array<[string, number, 'TCP' | 'UDP']>,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-abcde`, namespace: NS, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: endpoints.map(([ip, nodeName], i) => ({
      addresses: [ip],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName,
      targetRef: { kind: 'Pod', namespace: NS, name: `${svc}-${i + 1}` },
    })),
    ports: ports.map(([name, port, protocol]) => ({ name, port, protocol })),
  };
}

/**
 * Services that exercise the rule shapes people ask about: an even three-way split, a
 * multi-port UDP+TCP Service, ClientIP affinity, no endpoints (REJECT), NodePorts with
 * externalTrafficPolicy Cluster and Local, Local with no local endpoint (DROP), and
 * LoadBalancers whose source ranges admit the lab client or not (firewall DROP).
 */
export function builtinScenario(): LabScenario {
  const L = BUILTIN_NODE;
  const O = OTHER_NODE;
  const services: Service[] = [
    service('web', '10.96.100.10', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]),
    service('dns', '10.96.100.20', [
      { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, targetPort: 5353, protocol: 'TCP' },
    ]),
    service('sticky', '10.96.100.30', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], {
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    }),
    service('empty', '10.96.100.40', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]),
    service(
      'shop',
      '10.96.100.50',
      [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
      {
        type: 'NodePort',
      },
    ),
    service(
      'local',
      '10.96.100.60',
      [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30081, protocol: 'TCP' }],
      {
        type: 'NodePort',
        externalTrafficPolicy: 'Local',
      },
    ),
    service(
      'remote',
      '10.96.100.70',
      [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30082, protocol: 'TCP' }],
      {
        type: 'NodePort',
        externalTrafficPolicy: 'Local',
      },
    ),
    lbService('lb-open', '10.96.100.80', '203.0.113.80', 30083, ['198.18.0.0/24']),
    lbService('lb-closed', '10.96.100.90', '203.0.113.90', 30084, ['192.0.2.0/24']),
  ];
  const endpointSlices: EndpointSlice[] = [
    slice(
      'web',
      [
        ['10.244.1.11', L],
        ['10.244.2.12', O],
        ['10.244.2.13', O],
      ],
      [['http', 8080, 'TCP']],
    ),
    slice(
      'dns',
      [
        ['10.244.1.21', L],
        ['10.244.2.22', O],
      ],
      [
        ['dns', 5353, 'UDP'],
        ['dns-tcp', 5353, 'TCP'],
      ],
    ),
    slice(
      'sticky',
      [
        ['10.244.1.31', L],
        ['10.244.2.32', O],
      ],
      [['http', 8080, 'TCP']],
    ),
    slice(
      'shop',
      [
        ['10.244.1.51', L],
        ['10.244.2.52', O],
        ['10.244.2.53', O],
        ['10.244.2.54', O],
      ],
      [['http', 8080, 'TCP']],
    ),
    slice(
      'local',
      [
        ['10.244.1.61', L],
        ['10.244.2.62', O],
      ],
      [['http', 8080, 'TCP']],
    ),
    slice(
      'remote',
      [
        ['10.244.2.71', O],
        ['10.244.2.72', O],
      ],
      [['http', 8080, 'TCP']],
    ),
    slice(
      'lb-open',
      [
        ['10.244.1.81', L],
        ['10.244.2.82', O],
      ],
      [['http', 8080, 'TCP']],
    ),
    slice(
      'lb-closed',
      [
        ['10.244.1.91', L],
        ['10.244.2.92', O],
      ],
      [['http', 8080, 'TCP']],
    ),
  ];
  return {
    name: 'built-in',
    state: { services, endpointSlices, pods: [], nodes: [] },
    node: BUILTIN_NODE,
    clusterCIDRs: ['10.244.0.0/16'],
    warnings: [],
  };
}

/** A cluster file (JSON or YAML, `kubectl get … -o json` shape); throws with a message when unreadable. */
export function scenarioFromFile(path: string, node: string, clusterCIDRs: string[]): LabScenario {
  const { state, issues } = parseKubeObjects(readStructured(path));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length)
    throw new Error(`${path}: ${errors.map((e) => `${e.path ?? ''} ${e.message}`.trim()).join('; ')}`);
  return {
    name: path,
    state,
    node,
    clusterCIDRs,
    warnings: issues.map((i) => `${path}${i.path ? ` ${i.path}` : ''}: ${i.message}`),
  };
}
