// The demo's pods: the workloads behind the Services, placed on fixed nodes with fixed IPs so
// that chain names and endpoints are the same on every run.
import type { ContainerPort, Pod } from '@svcpath/core';

/** What the timeline changes. */
export interface WorkloadState {
  /** The hostnames pod on node-b fails its readiness probe. */
  hostnamesUnready: boolean;
  /** Replicas of the hostnames Deployment (3, or 4 while scaled up). */
  hostnamesReplicas: number;
}

export const BASE_STATE: WorkloadState = { hostnamesUnready: false, hostnamesReplicas: 3 };

interface PodSpec {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  node: string;
  hostIP: string;
  ip: string;
  container: string;
  ports: ContainerPort[];
  ready: boolean;
  /** Absent for a bare pod (`kubectl run`). */
  owner?: { kind: string; name: string };
  /** The pod shares its node's network namespace: its IP is the node's. */
  hostNetwork?: boolean;
}

const NODE_IP: Record<string, string> = {
  'node-a': '192.168.49.2',
  'node-b': '192.168.49.3',
  'node-c': '192.168.49.4',
};

function pod(s: Omit<PodSpec, 'hostIP'>, created: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: s.name,
      namespace: s.namespace,
      uid: `demo-pod-${s.namespace}-${s.name}`,
      creationTimestamp: created,
      labels: s.labels,
      ...(s.owner ? { ownerReferences: [s.owner] } : {}),
    },
    spec: {
      nodeName: s.node,
      containers: [{ name: s.container, ports: s.ports }],
      ...(s.hostNetwork ? { hostNetwork: true } : {}),
    },
    status: {
      phase: 'Running',
      podIP: s.ip,
      podIPs: [{ ip: s.ip }],
      hostIP: NODE_IP[s.node] ?? '',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'ContainersReady', status: s.ready ? 'True' : 'False' },
        { type: 'Ready', status: s.ready ? 'True' : 'False' },
      ],
    },
  };
}

const rs = (name: string) => ({ kind: 'ReplicaSet', name });

export function demoPods(state: WorkloadState, created: string): Pod[] {
  const pods: Pod[] = [];
  const add = (s: Omit<PodSpec, 'hostIP' | 'ready'> & { ready?: boolean }) =>
    pods.push(pod({ ready: true, ...s }, created));

  // CoreDNS: the tutorial's endpoints 10.32.0.3 and 10.32.0.4.
  const dnsPorts: ContainerPort[] = [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
  ];
  for (const [suffix, ip] of [
    ['5d78c9869d-8wqcv', '10.32.0.3'],
    ['5d78c9869d-zl6vh', '10.32.0.4'],
  ] as const) {
    add({
      namespace: 'kube-system',
      name: `coredns-${suffix}`,
      labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '5d78c9869d' },
      node: 'node-a',
      ip,
      container: 'coredns',
      ports: dnsPorts,
      owner: rs('coredns-5d78c9869d'),
    });
  }

  // hostnames (serve_hostname on 9376): the pod on node-b flaps, a fourth replica comes and goes.
  const hostnames: Array<[string, string, string]> = [
    ['hostnames-6f7b8d9c5-4xkqz', 'node-a', '10.32.0.10'],
    ['hostnames-6f7b8d9c5-9mvtl', 'node-b', '10.36.0.10'],
    ['hostnames-6f7b8d9c5-r2wjd', 'node-c', '10.40.0.10'],
    ['hostnames-6f7b8d9c5-k7hsn', 'node-b', '10.36.0.11'],
  ];
  hostnames.slice(0, state.hostnamesReplicas).forEach(([name, node, ip], i) =>
    add({
      namespace: 'default',
      name,
      labels: { app: 'hostnames', 'pod-template-hash': '6f7b8d9c5' },
      node,
      ip,
      container: 'hostnames',
      ports: [{ containerPort: 9376, protocol: 'TCP' }],
      ready: !(state.hostnamesUnready && i === 1),
      owner: rs('hostnames-6f7b8d9c5'),
    }),
  );

  const spread = (
    app: string,
    prefix: string,
    owner: { kind: string; name: string },
    octet: number,
    container: string,
    ports: ContainerPort[],
    nodes: string[],
    extra: Partial<PodSpec> = {},
  ) => {
    const suffixes = ['b7x2p', 'q9d4k', 'm3c8t'];
    nodes.forEach((node, i) =>
      add({
        namespace: 'default',
        name: `${prefix}-${suffixes[i] ?? String(i)}`,
        labels: {
          app,
          ...(owner.kind === 'ReplicaSet' ? { 'pod-template-hash': owner.name.split('-').pop() ?? '' } : {}),
        },
        node,
        ip: `${subnet(node)}.${octet}`,
        container,
        ports,
        owner,
        ...extra,
      }),
    );
  };
  const all = ['node-a', 'node-b', 'node-c'];
  spread(
    'nginx',
    'nginx-deployment-86dcfdf4c6',
    rs('nginx-deployment-86dcfdf4c6'),
    20,
    'nginx',
    [{ containerPort: 80, protocol: 'TCP' }],
    all,
  );
  spread(
    'kubia',
    'kubia',
    { kind: 'ReplicationController', name: 'kubia' },
    30,
    'kubia',
    [{ containerPort: 8080, protocol: 'TCP' }],
    all,
  );
  spread(
    'webapp',
    'webapp-7c9f6d5b8',
    rs('webapp-7c9f6d5b8'),
    40,
    'webapp',
    [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    ['node-a', 'node-c'],
  );
  spread(
    'myapp',
    'myapp-5f4d8c7b9',
    rs('myapp-5f4d8c7b9'),
    50,
    'myapp',
    [{ containerPort: 8080, protocol: 'TCP' }],
    ['node-b', 'node-c'],
  );
  // Only on node-a: with externalTrafficPolicy Local, node-b and node-c drop external traffic.
  spread(
    'ingress',
    'ingress-6b8f9d7c4',
    rs('ingress-6b8f9d7c4'),
    60,
    'ingress',
    [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    ['node-a'],
  );
  // Its readiness probe never passes: the Service has no ready endpoints.
  spread(
    'payments',
    'payments-58d9f7c6b',
    rs('payments-58d9f7c6b'),
    70,
    'payments',
    [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    ['node-b'],
    { ready: false },
  );
  // Two versions whose `http` port differs: the named targetPort resolves per pod.
  add({
    namespace: 'default',
    name: 'shop-v1-7d8c9b6f5-h4k2m',
    labels: { app: 'shop', version: 'v1' },
    node: 'node-b',
    ip: '10.36.0.80',
    container: 'shop',
    ports: [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
    ],
    owner: rs('shop-v1-7d8c9b6f5'),
  });
  add({
    namespace: 'default',
    name: 'shop-v2-6c5b4a3d2-p8n7q',
    labels: { app: 'shop', version: 'v2' },
    node: 'node-c',
    ip: '10.40.0.80',
    container: 'shop',
    ports: [
      { name: 'http', containerPort: 8081, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
    ],
    owner: rs('shop-v2-6c5b4a3d2'),
  });
  // kube-proxy itself, one per node on the host network (its IP is the node's): a source that
  // starts at OUTPUT. And a client pod behind no Service, as people trace from.
  const proxySuffix: Record<string, string> = { 'node-a': '2xk9f', 'node-b': 'h7m4p', 'node-c': 'w5q8z' };
  for (const [node, ip] of Object.entries(NODE_IP)) {
    add({
      namespace: 'kube-system',
      name: `kube-proxy-${proxySuffix[node] ?? node}`,
      labels: { 'k8s-app': 'kube-proxy', 'controller-revision-hash': '7c5b9d8f6' },
      node,
      ip,
      container: 'kube-proxy',
      ports: [],
      owner: { kind: 'DaemonSet', name: 'kube-proxy' },
      hostNetwork: true,
    });
  }
  add({
    namespace: 'default',
    name: 'netshoot',
    labels: { run: 'netshoot' },
    node: 'node-c',
    ip: '10.40.0.90',
    container: 'netshoot',
    ports: [],
  });
  return pods;
}

function subnet(node: string): string {
  return node === 'node-a' ? '10.32.0' : node === 'node-b' ? '10.36.0' : '10.40.0';
}
