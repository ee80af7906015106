import type { WatchEvent } from './types.js';

/** A minimal newline-delimited watch reader over fetch, for testing the double itself. */
export interface WatchReader {
  events: WatchEvent[];
  /** Resolves once at least `count` events have arrived (rejects when the stream ends first). */
  waitFor(count: number): Promise<WatchEvent[]>;
  /** Resolves with 'end' or 'error' when the stream finishes. */
  ended: Promise<'end' | 'error'>;
  abort(): void;
}

export async function openWatch(url: string): Promise<WatchReader> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`watch answered ${res.status}`);
  const events: WatchEvent[] = [];
  const waiters: Array<() => void> = [];
  let finished = false;
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const body = res.body;
  const ended = (async (): Promise<'end' | 'error'> => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of body) {
        buffered += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
        }
        notify();
      }
      return 'end';
    } catch {
      return 'error';
    } finally {
      finished = true;
      notify();
    }
  })();
  return {
    events,
    ended,
    abort: () => controller.abort(),
    waitFor(count) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (events.length >= count) resolve(events.slice(0, count));
          else if (finished) reject(new Error(`stream ended after ${events.length} of ${count} events`));
          else waiters.push(check);
        };
        check();
      });
    },
  };
}
