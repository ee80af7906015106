// The snapshot directory layout that `svcpath serve --snapshot DIR` reads and /api/export writes:
//   cluster.json                 a List of Services, EndpointSlices, Pods and Nodes (kubectl -o json form)
//   svcpath-snapshot.json        optional manifest: per-node kube-proxy settings, dump times and origins
//   nodes/<node>/<dump file>     the node's dumps, one file per kind (names below)
import type { DumpKind, ProxySettings } from '@svcpath/core';

export const CLUSTER_FILE = 'cluster.json';
export const MANIFEST_FILE = 'svcpath-snapshot.json';
export const SNAPSHOT_FORMAT = 'svcpath-snapshot/v1';

export const DUMP_FILE_NAMES: Record<DumpKind, string> = {
  iptables: 'iptables-save.txt',
  ip6tables: 'ip6tables-save.txt',
  nft: 'nft-ruleset.txt',
  ipvs: 'ipvsadm-save.txt',
  ipset: 'ipset-save.txt',
};

export interface SnapshotManifest {
  format: typeof SNAPSHOT_FORMAT;
  exportedAt: string;
  nodes: Record<
    string,
    {
      proxySettings?: Partial<ProxySettings>;
      dumps: Partial<Record<DumpKind, { file: string; collectedAt: string; source: string }>>;
    }
  >;
}

/** A snapshot directory as one JSON document: relative path → file content. */
export interface SnapshotBundle {
  format: typeof SNAPSHOT_FORMAT;
  exportedAt: string;
  files: Record<string, string>;
}
