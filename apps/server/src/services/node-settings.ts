// Each node's kube-proxy settings: what the source knows (kube-proxy's config, the demo, a
// snapshot), resolved by core with kube-proxy's defaults; the mode falls back to what the
// node's dumps show.
import { proxySettingsFromConfig } from '@svcpath/core';
import type { Node, ProxyMode, ProxySettings } from '@svcpath/core';

export interface NodeSettings {
  settings: ProxySettings;
  /** Where the mode came from: `kube-proxy config`, `dump`, `default`. */
  modeSource: string;
}

export function nodeZone(node: Node): string | undefined {
  return node.metadata.labels?.['topology.kubernetes.io/zone'];
}

export function nodeReady(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready === undefined ? true : ready.status === 'True';
}

/** Settings from a KubeProxyConfiguration object (or none). */
export function settingsFromConfig(node: Node, config: unknown): NodeSettings {
  const zone = nodeZone(node);
  const { settings } = proxySettingsFromConfig(config, {
    name: node.metadata.name,
    node,
    ...(zone !== undefined ? { overrides: { zone } } : {}),
  });
  const mode =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['mode'] : undefined;
  return { settings, modeSource: typeof mode === 'string' && mode !== '' ? 'kube-proxy config' : 'default' };
}

/** When the configuration does not say, the dumps may: a node with an nft kube-proxy table runs nftables. */
export function withDumpMode(known: NodeSettings, modeFromDumps: ProxyMode | null): NodeSettings {
  if (known.modeSource !== 'default' || modeFromDumps === null) return known;
  return { settings: { ...known.settings, mode: modeFromDumps }, modeSource: 'dump' };
}
