// Optional capabilities a ClusterSource may have beyond the ClusterSource interface: the demo and
// snapshot sources also know each node's dumps and kube-proxy settings.
import type { DumpKind, ProxySettings } from '@svcpath/core';
import type { ClusterSource } from './types.js';

export interface SourceDump {
  node: string;
  kind: DumpKind;
  text: string;
  collectedAt: Date;
  /** `demo`, `snapshot`, … */
  source: string;
}

/** A source that also has dataplane dumps (demo: generated; snapshot: `nodes/<node>/<dump>`). */
export interface DumpProvider {
  dumps(): SourceDump[];
  /** Called when the dumps change; returns the unsubscribe function. */
  onDumps(listener: () => void): () => void;
}

/** A source that knows each node's kube-proxy settings (nodes may differ, as in the demo). */
export interface NodeSettingsProvider {
  nodeProxySettings(): Record<string, ProxySettings>;
}

export const isDumpProvider = (s: ClusterSource): s is ClusterSource & DumpProvider =>
  typeof (s as Partial<DumpProvider>).dumps === 'function' &&
  typeof (s as Partial<DumpProvider>).onDumps === 'function';

export const isNodeSettingsProvider = (s: ClusterSource): s is ClusterSource & NodeSettingsProvider =>
  typeof (s as Partial<NodeSettingsProvider>).nodeProxySettings === 'function';
