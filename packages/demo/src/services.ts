// The classic Services of Kubernetes tutorials (../shared/examples/classic-services.yaml), as
// objects, plus the kinds the tutorials leave out: externalTrafficPolicy Local with an external
// IP, a Service with no ready endpoints, a multi-port Service with named target ports.
import type { EndpointSlice, Service } from '@svcpath/core';

const svc = (
  namespace: string,
  name: string,
  spec: Service['spec'],
  extra: Partial<Service> = {},
): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, uid: `demo-svc-${namespace}-${name}` },
  spec,
  ...extra,
});

export function demoServices(): Service[] {
  return [
    svc('default', 'hostnames', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20'],
      selector: { app: 'hostnames' },
      ports: [{ name: 'default', protocol: 'TCP', port: 80, targetPort: 9376 }],
    }),
    {
      ...svc('kube-system', 'kube-dns', {
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      }),
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        uid: 'demo-svc-kube-system-kube-dns',
        labels: { 'k8s-app': 'kube-dns' },
      },
    },
    svc('default', 'kubernetes', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    }),
    svc('default', 'my-service', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.30',
      clusterIPs: ['10.96.0.30'],
      selector: { app: 'nginx' },
      ports: [{ name: 'default', protocol: 'TCP', port: 80, targetPort: 80 }],
    }),
    svc('default', 'kubia', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.40',
      clusterIPs: ['10.96.0.40'],
      selector: { app: 'kubia' },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    }),
    svc('default', 'webapp', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.50',
      clusterIPs: ['10.96.0.50'],
      selector: { app: 'webapp' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    }),
    svc('default', 'myapp', {
      type: 'NodePort',
      clusterIP: '10.96.0.60',
      clusterIPs: ['10.96.0.60'],
      selector: { app: 'myapp' },
      ports: [{ port: 8080, targetPort: 8080, nodePort: 30081, protocol: 'TCP' }],
      externalTrafficPolicy: 'Cluster',
    }),
    svc(
      'default',
      'myapp-lb',
      {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.61',
        clusterIPs: ['10.96.0.61'],
        selector: { app: 'myapp' },
        ports: [{ port: 80, targetPort: 8080, nodePort: 31080, protocol: 'TCP' }],
        loadBalancerSourceRanges: ['203.0.113.0/25'],
        externalTrafficPolicy: 'Cluster',
      },
      { status: { loadBalancer: { ingress: [{ ip: '198.51.100.8' }] } } },
    ),
    svc('default', 'my-database', { type: 'ExternalName', externalName: 'db.example.com' }),
    svc('default', 'webapp-headless', {
      type: 'ClusterIP',
      clusterIP: 'None',
      clusterIPs: ['None'],
      selector: { app: 'webapp' },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }],
    }),
    svc('default', 'sticky', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.70',
      clusterIPs: ['10.96.0.70'],
      selector: { app: 'webapp' },
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    }),
    // Not in the tutorials' file: the behaviours people ask about most.
    svc('default', 'ingress-local', {
      type: 'NodePort',
      clusterIP: '10.96.0.80',
      clusterIPs: ['10.96.0.80'],
      selector: { app: 'ingress' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
      externalTrafficPolicy: 'Local',
      externalIPs: ['192.168.49.100'],
    }),
    svc('default', 'payments', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.99',
      clusterIPs: ['10.96.0.99'],
      selector: { app: 'payments' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    }),
    svc('default', 'shop', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.90',
      clusterIPs: ['10.96.0.90'],
      selector: { app: 'shop' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
        { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      ],
    }),
  ];
}

/** The `kubernetes` Service has no selector: its slice is written by the API server itself. */
export function kubernetesSlice(apiServerIP: string): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: {
        'kubernetes.io/service-name': 'kubernetes',
        'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [apiServerIP], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  };
}
