// The lab's namespaces: an off-node client, the kube-proxy node, one namespace holding the pods,
// and one local pod of the node that also connects to Services (its own included: hairpin).
import { randomBytes } from 'node:crypto';
import { run, runQuietlySync } from './shell.js';

/**
 * Lab addressing lives in 198.18.0.0/15 (reserved for network benchmarks) so it cannot clash
 * with the cluster's pod, Service or node addresses.
 */
export const LAB_NET = {
  /** The node's address towards clients: its primary node IP. */
  nodeIP: '198.18.0.1',
  clientIP: '198.18.0.2',
  clientPrefix: 16,
  /** The node's address towards the pods: what a masqueraded connection arrives from. */
  nodePodSideIP: '198.19.0.1',
  podsGatewayPeer: '198.19.0.2',
  /** The node's address towards its local pod, and the pod's link address. */
  nodeLocalPodSideIP: '198.19.1.1',
  localPodGatewayPeer: '198.19.1.2',
  linkPrefix: 24,
} as const;

/** Extra client addresses (198.18.1.1, …): distinct clients for ClientIP affinity. */
export function clientPoolAddress(i: number): string {
  return `198.18.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

export const MAX_CLIENT_POOL = 250 * 200;

export function inLabRange(ip: string): boolean {
  return /^198\.(18|19)\./.test(ip);
}

export type Role = 'client' | 'node' | 'pods' | 'pod';
export const ROLES: readonly Role[] = ['client', 'node', 'pods', 'pod'];

export interface LabNetworkSpec {
  /** Addresses the pods namespace holds (/32 each), routed to it from the node. */
  podIPs: string[];
  /** The address of the node's local pod (its own namespace), or null for none. */
  localPodIP: string | null;
  /** Extra client addresses to add (see `clientPoolAddress`). */
  clientPool: number;
}

/** Namespaces `svcpath-lab-<random>-<role>`; `destroySync` removes whichever were created. */
export class LabNetwork {
  readonly id = randomBytes(4).toString('hex');
  readonly created: string[] = [];

  name(role: Role): string {
    return `svcpath-lab-${this.id}-${role}`;
  }

  async create(spec: LabNetworkSpec): Promise<void> {
    for (const role of ROLES) {
      await run('ip', ['netns', 'add', this.name(role)]);
      this.created.push(this.name(role));
    }
    const [client, node, pods, pod] = ROLES.map((r) => this.name(r)) as [string, string, string, string];
    const n = LAB_NET;
    const veth = (local: string, peerNs: string) =>
      run('ip', ['-n', node, 'link', 'add', local, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peerNs]);
    await veth('to-client', client);
    await veth('to-pods', pods);
    await veth('to-pod', pod);

    const batch = (ns: string, lines: string[]) =>
      run('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' });
    const up = ['link set lo up', 'link set eth0 up'];
    await batch(client, [
      `addr add ${n.clientIP}/${n.clientPrefix} dev eth0`,
      ...Array.from({ length: spec.clientPool }, (_, i) => `addr add ${clientPoolAddress(i)}/32 dev eth0`),
      ...up,
      `route add default via ${n.nodeIP}`,
    ]);
    const local = spec.localPodIP;
    await batch(node, [
      `addr add ${n.nodeIP}/${n.clientPrefix} dev to-client`,
      `addr add ${n.nodePodSideIP}/${n.linkPrefix} dev to-pods`,
      `addr add ${n.nodeLocalPodSideIP}/${n.linkPrefix} dev to-pod`,
      'link set lo up',
      'link set to-client up',
      'link set to-pods up',
      'link set to-pod up',
      // Anything not a pod goes back towards the client side, which forwards nothing: it stays in the lab.
      `route add default via ${n.clientIP}`,
      ...spec.podIPs.map((ip) => `route add ${ip}/32 via ${n.podsGatewayPeer} dev to-pods`),
      ...(local ? [`route add ${local}/32 via ${n.localPodGatewayPeer} dev to-pod`] : []),
    ]);
    await batch(pods, [
      `addr add ${n.podsGatewayPeer}/${n.linkPrefix} dev eth0`,
      ...spec.podIPs.map((ip) => `addr add ${ip}/32 dev eth0`),
      ...up,
      `route add default via ${n.nodePodSideIP}`,
    ]);
    await batch(pod, [
      `addr add ${n.localPodGatewayPeer}/${n.linkPrefix} dev eth0`,
      ...(local ? [`addr add ${local}/32 dev eth0`] : []),
      ...up,
      // Its own address as source, as a pod's connections have.
      `route add default via ${n.nodeLocalPodSideIP}${local ? ` src ${local}` : ''}`,
    ]);
    await this.sysctl(node, [
      'net.ipv4.ip_forward=1',
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      // Forwarding back out of the client side would send redirects, which spend the per-host
      // ICMP budget; and the ICMP rate limits would turn most REJECTs of a burst into silence.
      'net.ipv4.conf.all.send_redirects=0',
      'net.ipv4.conf.to-client.send_redirects=0',
      'net.ipv4.icmp_ratelimit=0',
      'net.ipv4.icmp_msgs_per_sec=1000000',
      'net.ipv4.icmp_msgs_burst=1000000',
    ]);
    for (const ns of [pods, pod]) {
      await this.sysctl(ns, ['net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']);
    }
  }

  /** Addresses the node owns, for the tracer's idea of "local". */
  nodeAddresses(): string[] {
    return [LAB_NET.nodeIP, LAB_NET.nodePodSideIP, LAB_NET.nodeLocalPodSideIP];
  }

  private async sysctl(ns: string, settings: string[]): Promise<void> {
    await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', ...settings]);
  }

  /**
   * Deletes every namespace this lab created (their veths go with them) with one `ip -batch`, so
   * that it is quick enough for a signal handler. Safe to call twice.
   */
  destroySync(): void {
    if (this.created.length === 0) return;
    const lines = this.created.map((ns) => `netns del ${ns}`).join('\n') + '\n';
    this.created.length = 0;
    runQuietlySync('ip', ['-force', '-batch', '-'], lines);
  }
}
