// Whether the lab can run on this machine, and whether the kernel's own trace can be read.
import { spawnSync } from 'node:child_process';
import { succeeds } from './shell.js';
import type { LabHost } from './types.js';

const thisHost = (): LabHost => ({
  platform: process.platform,
  uid: typeof process.getuid === 'function' ? process.getuid() : null,
  runs: succeeds,
});

/** Why the kernel's own trace cannot be read here (xtables-monitor needs the nf_tables backend). */
export function kernelTraceUnavailable(): string | null {
  if (!succeeds('xtables-monitor', ['--version'])) return 'xtables-monitor is not installed';
  const version = spawnSync('iptables', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return version.includes('nf_tables') ? null : 'iptables is not the nf_tables variant';
}

/** Why the lab cannot run on this machine, or null when it can. */
export function labUnavailable(mode: 'iptables' | 'nftables', host: LabHost = thisHost()): string | null {
  if (host.platform !== 'linux') return `needs Linux network namespaces (this is ${host.platform})`;
  if (host.uid !== 0) return 'needs root to create network namespaces';
  if (!host.runs('ip', ['netns', 'list'])) return '`ip netns` is not available (install iproute2)';
  if (mode === 'iptables' && !host.runs('iptables-restore', ['--version']))
    return '`iptables-restore` is not available (install iptables)';
  if (mode === 'nftables' && !host.runs('nft', ['--version']))
    return '`nft` is not available (install nftables)';
  return null;
}
