// A snapshot directory (the layout `svcpath serve --snapshot DIR` reads) holding a cluster and,
// optionally, node dumps: how the HTTP and web sections give the server a fixed large cluster.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterState } from '@svcpath/core';
import { CLUSTER_FILE, DUMP_FILE_NAMES } from '@svcpath/server';

const withKind = (apiVersion: string, kind: string, items: readonly object[]): object[] =>
  items.map((o) => ({ apiVersion, kind, ...o }));

export function writeSnapshotDir(
  cluster: ClusterState,
  iptablesDumps: Record<string, string> = {},
): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'svcpath-bench-snapshot-'));
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      ...withKind('v1', 'Service', cluster.services),
      ...withKind('discovery.k8s.io/v1', 'EndpointSlice', cluster.endpointSlices),
      ...withKind('v1', 'Pod', cluster.pods),
      ...withKind('v1', 'Node', cluster.nodes),
    ],
  };
  writeFileSync(join(dir, CLUSTER_FILE), JSON.stringify(list));
  for (const [node, text] of Object.entries(iptablesDumps)) {
    mkdirSync(join(dir, 'nodes', node), { recursive: true });
    writeFileSync(join(dir, 'nodes', node, DUMP_FILE_NAMES.iptables), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
