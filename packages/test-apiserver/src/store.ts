import type { ResourceKind, StoredObject, WatchEventType } from './types.js';

/** A change recorded in the history window, at the resourceVersion it produced. */
export interface HistoryEvent {
  rv: number;
  kind: ResourceKind;
  type: Exclude<WatchEventType, 'BOOKMARK' | 'ERROR'>;
  object: StoredObject;
}

export type ResumeResult = { ok: true; events: HistoryEvent[] } | { ok: false; oldest: number };

// Plain code-unit order: stable, and far faster than localeCompare on large lists.
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/**
 * In-memory object store of the test double: one global, monotonically increasing
 * resourceVersion (as etcd's revision) and a bounded history of changes for resuming watches.
 */
export class ObjectStore {
  private readonly objects = new Map<ResourceKind, Map<string, StoredObject>>();
  private readonly history: HistoryEvent[] = [];
  private rv = 1;
  /** Watches may resume from versions >= this one; older ones are compacted (410 Gone). */
  private oldestResumable = 1;
  private uidCounter = 0;

  constructor(
    private readonly historyLimit: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  currentRv(): number {
    return this.rv;
  }

  upsert(kind: ResourceKind, input: StoredObject): HistoryEvent {
    const byKey = this.kindMap(kind);
    const key = keyOf(input.metadata.namespace, input.metadata.name);
    const previous = byKey.get(key);
    const rv = ++this.rv;
    const obj = structuredClone(input);
    obj.metadata.resourceVersion = String(rv);
    obj.metadata.uid ??= previous?.metadata.uid ?? `uid-${++this.uidCounter}`;
    obj.metadata.creationTimestamp ??=
      previous?.metadata.creationTimestamp ??
      this.clock()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
    byKey.set(key, obj);
    return this.record({ rv, kind, type: previous ? 'MODIFIED' : 'ADDED', object: obj });
  }

  remove(kind: ResourceKind, namespace: string | undefined, name: string): HistoryEvent | undefined {
    const byKey = this.kindMap(kind);
    const key = keyOf(namespace || undefined, name);
    const previous = byKey.get(key);
    if (!previous) return undefined;
    byKey.delete(key);
    const rv = ++this.rv;
    const object = structuredClone(previous);
    object.metadata.resourceVersion = String(rv);
    return this.record({ rv, kind, type: 'DELETED', object });
  }

  get(kind: ResourceKind, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.kindMap(kind).get(keyOf(namespace || undefined, name));
    return found && structuredClone(found);
  }

  /** Objects of a kind (optionally one namespace), sorted by namespace then name. */
  list(kind: ResourceKind, namespace?: string): StoredObject[] {
    return [...this.kindMap(kind).values()]
      .filter((o) => namespace === undefined || (o.metadata.namespace ?? '') === namespace)
      .sort((a, b) =>
        byKey(keyOf(a.metadata.namespace, a.metadata.name), keyOf(b.metadata.namespace, b.metadata.name)),
      )
      .map((o) => structuredClone(o));
  }

  /** Events after `fromRv` for a kind, or the oldest resumable version when `fromRv` is compacted. */
  eventsSince(kind: ResourceKind, fromRv: number, namespace?: string): ResumeResult {
    if (fromRv < this.oldestResumable) return { ok: false, oldest: this.oldestResumable };
    const events = this.history.filter(
      (e) =>
        e.rv > fromRv &&
        e.kind === kind &&
        (namespace === undefined || (e.object.metadata.namespace ?? '') === namespace),
    );
    return { ok: true, events };
  }

  /**
   * Forgets all history. The version moves on by one so that a fresh list returns a version
   * that can be watched from, while every version handed out before is too old.
   */
  expireHistory(): void {
    this.history.length = 0;
    this.rv++;
    this.oldestResumable = this.rv;
  }

  private record(event: HistoryEvent): HistoryEvent {
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.oldestResumable = dropped.rv;
    }
    return event;
  }

  private kindMap(kind: ResourceKind): Map<string, StoredObject> {
    let byKey = this.objects.get(kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(kind, byKey);
    }
    return byKey;
  }
}
