// Per-node dataplane dumps as collected (agent, upload, demo, snapshot, local), with their age
// and origin. A failed collection keeps the last good text and marks it stale.
import type { DumpKind } from '@svcpath/core';

export const DUMP_KINDS: readonly DumpKind[] = ['iptables', 'ip6tables', 'nft', 'ipvs', 'ipset'];

export interface StoredDump {
  node: string;
  kind: DumpKind;
  text: string;
  /** `agent`, `exec`, `upload`, `local`, `demo`, `snapshot`. */
  source: string;
  collectedAt: Date;
  bytes: number;
  lines: number;
  stale: boolean;
}

export type DumpListener = (node: string, kind: DumpKind) => void;

export class DumpStore {
  private readonly dumps = new Map<string, Map<DumpKind, StoredDump>>();
  private readonly listeners = new Set<DumpListener>();

  put(node: string, kind: DumpKind, text: string, source: string, collectedAt: Date): StoredDump {
    const dump: StoredDump = {
      node,
      kind,
      text,
      source,
      collectedAt,
      bytes: Buffer.byteLength(text),
      lines: countLines(text),
      stale: false,
    };
    let perNode = this.dumps.get(node);
    if (!perNode) {
      perNode = new Map();
      this.dumps.set(node, perNode);
    }
    const previous = perNode.get(kind);
    perNode.set(kind, dump);
    // A collector that re-reads the same text only refreshes the age: no change to announce.
    if (previous?.text !== text || previous.stale) this.emit(node, kind);
    return dump;
  }

  /** The collector failed: keep the text, say it is stale. */
  markStale(node: string, kind: DumpKind): void {
    const dump = this.dumps.get(node)?.get(kind);
    if (dump && !dump.stale) {
      dump.stale = true;
      this.emit(node, kind);
    }
  }

  get(node: string, kind: DumpKind): StoredDump | undefined {
    return this.dumps.get(node)?.get(kind);
  }

  forNode(node: string): StoredDump[] {
    const perNode = this.dumps.get(node);
    if (!perNode) return [];
    return DUMP_KINDS.flatMap((k) => {
      const d = perNode.get(k);
      return d ? [d] : [];
    });
  }

  nodes(): string[] {
    return [...this.dumps.keys()];
  }

  onChange(listener: DumpListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(node: string, kind: DumpKind): void {
    for (const l of this.listeners) l(node, kind);
  }
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}
