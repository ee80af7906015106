// Fan-out of change events to SSE clients, with increasing ids so a client can tell what it missed.
import type { ChangeEventDto } from '@svcpath/core';

export interface NumberedEvent {
  id: number;
  event: ChangeEventDto;
}

export type EventListener = (e: NumberedEvent) => void;

export class EventHub {
  private nextId = 1;
  private readonly listeners = new Set<EventListener>();
  /** Recent events, so a reconnecting client with Last-Event-ID gets what it missed. */
  private readonly recent: NumberedEvent[] = [];

  constructor(private readonly keep = 500) {}

  private readonly pending = new Map<string, ChangeEventDto>();

  /**
   * Queues an event; events published in the same synchronous burst (a rollout, a new dump) are
   * sent once each, in order, as soon as the burst ends.
   */
  publish(event: ChangeEventDto): void {
    const key = JSON.stringify(event);
    if (this.pending.has(key)) return;
    if (this.pending.size === 0) queueMicrotask(() => this.flush());
    this.pending.set(key, event);
  }

  private flush(): void {
    const events = [...this.pending.values()];
    this.pending.clear();
    for (const e of events) this.send(e);
  }

  private send(event: ChangeEventDto): void {
    const numbered = { id: this.nextId++, event };
    this.recent.push(numbered);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const l of this.listeners) {
      try {
        l(numbered);
      } catch {
        // A broken client connection must not stop the others.
      }
    }
  }

  /** Events after `lastId`, or null when they are no longer kept (the client should refetch all). */
  since(lastId: number): NumberedEvent[] | null {
    const first = this.recent[0];
    if (first === undefined) return lastId + 1 >= this.nextId ? [] : null;
    if (lastId + 1 < first.id) return null;
    return this.recent.filter((e) => e.id > lastId);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
