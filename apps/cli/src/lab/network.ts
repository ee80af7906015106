// The lab's namespaces: an off-node client, the kube-proxy node and one namespace holding every pod.
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
  podsPrefix: 24,
} as const;

/** Extra client addresses (198.18.1.1, …): distinct clients for ClientIP affinity. */
export function clientPoolAddress(i: number): string {
  return `198.18.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

export const MAX_CLIENT_POOL = 250 * 200;

export function inLabRange(ip: string): boolean {
  return /^198\.(18|19)\./.test(ip);
}

export type Role = 'client' | 'node' | 'pods';

export interface LabNetworkSpec {
  /** Addresses the pods namespace holds (/32 each), routed to it from the node. */
  podIPs: string[];
  /** Extra client addresses to add (see `clientPoolAddress`). */
  clientPool: number;
}

/** Namespaces `svcpath-lab-<random>-<role>`; `destroy` removes whichever were created. */
export class LabNetwork {
  readonly id = randomBytes(4).toString('hex');
  readonly created: string[] = [];

  name(role: Role): string {
    return `svcpath-lab-${this.id}-${role}`;
  }

  async create(spec: LabNetworkSpec): Promise<void> {
    for (const role of ['client', 'node', 'pods'] as const) {
      await run('ip', ['netns', 'add', this.name(role)]);
      this.created.push(this.name(role));
    }
    const client = this.name('client');
    const node = this.name('node');
    const pods = this.name('pods');
    const n = LAB_NET;
    await run('ip', [
      '-n',
      node,
      'link',
      'add',
      'to-client',
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      client,
    ]);
    await run('ip', [
      '-n',
      node,
      'link',
      'add',
      'to-pods',
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      pods,
    ]);

    const batch = (ns: string, lines: string[]) =>
      run('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' });
    const clientLines = [
      `addr add ${n.clientIP}/${n.clientPrefix} dev eth0`,
      ...Array.from({ length: spec.clientPool }, (_, i) => `addr add ${clientPoolAddress(i)}/32 dev eth0`),
      `link set lo up`,
      `link set eth0 up`,
      `route add default via ${n.nodeIP}`,
    ];
    const nodeLines = [
      `addr add ${n.nodeIP}/${n.clientPrefix} dev to-client`,
      `addr add ${n.nodePodSideIP}/${n.podsPrefix} dev to-pods`,
      `link set lo up`,
      `link set to-client up`,
      `link set to-pods up`,
      // Anything not a pod goes back towards the client side, which forwards nothing: it stays in the lab.
      `route add default via ${n.clientIP}`,
      ...spec.podIPs.map((ip) => `route add ${ip}/32 via ${n.podsGatewayPeer} dev to-pods`),
    ];
    const podLines = [
      `addr add ${n.podsGatewayPeer}/${n.podsPrefix} dev eth0`,
      ...spec.podIPs.map((ip) => `addr add ${ip}/32 dev eth0`),
      `link set lo up`,
      `link set eth0 up`,
      `route add default via ${n.nodePodSideIP}`,
    ];
    await batch(client, clientLines);
    await batch(node, nodeLines);
    await batch(pods, podLines);
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
    await this.sysctl(pods, ['net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']);
  }

  /** Addresses the node owns, for the tracer's idea of "local". */
  nodeAddresses(): string[] {
    return [LAB_NET.nodeIP, LAB_NET.nodePodSideIP];
  }

  /** `ip netns exec <ns> cmd…` arguments. */
  exec(role: Role, cmd: string, args: readonly string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name(role), cmd, ...args]];
  }

  private async sysctl(ns: string, settings: string[]): Promise<void> {
    await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', ...settings]);
  }

  /** Deletes every namespace this lab created (their veths go with them). Safe to call twice. */
  destroySync(): void {
    while (this.created.length) {
      const ns = this.created.pop();
      if (ns) runQuietlySync('ip', ['netns', 'del', ns]);
    }
  }
}
