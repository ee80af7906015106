// What to run inside a kube-proxy container, by proxy mode: the same tools the agent runs, minus
// what that mode never writes. An unknown mode runs them all (the dumps then tell the mode).
import type { DumpKind, ProxyMode } from '@svcpath/core';

export interface ExecCommand {
  kind: DumpKind;
  command: string[];
  /** Tried when the command exits non-zero but exists (`nft -j` on an nft built without JSON). */
  fallback?: string[];
}

export const EXEC_COMMANDS: Readonly<Record<DumpKind, ExecCommand>> = {
  iptables: { kind: 'iptables', command: ['iptables-save', '-c'] },
  ip6tables: { kind: 'ip6tables', command: ['ip6tables-save', '-c'] },
  nft: { kind: 'nft', command: ['nft', '-j', 'list', 'ruleset'], fallback: ['nft', 'list', 'ruleset'] },
  ipvs: { kind: 'ipvs', command: ['ipvsadm', '-S', '-n'] },
  ipset: { kind: 'ipset', command: ['ipset', 'save'] },
};

const BY_MODE: Record<ProxyMode, readonly DumpKind[]> = {
  iptables: ['iptables', 'ip6tables'],
  // IPVS mode still writes iptables rules (masquerade, filters) around its ipsets.
  ipvs: ['iptables', 'ip6tables', 'ipvs', 'ipset'],
  nftables: ['nft'],
};

const ALL: readonly DumpKind[] = ['iptables', 'ip6tables', 'nft', 'ipvs', 'ipset'];

export function commandsForMode(mode: ProxyMode | null): ExecCommand[] {
  return (mode ? BY_MODE[mode] : ALL).map((k) => EXEC_COMMANDS[k]);
}

/** The mode kube-proxy's configuration names, or null when it leaves it to the default. */
export function modeFromProxyConfig(config: unknown): ProxyMode | null {
  if (typeof config !== 'object' || config === null) return null;
  const mode = (config as Record<string, unknown>)['mode'];
  return mode === 'iptables' || mode === 'ipvs' || mode === 'nftables' ? mode : null;
}
