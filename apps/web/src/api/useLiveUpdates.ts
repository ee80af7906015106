import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { authHeader } from './auth.js';
import { CHANGE_EVENT_TYPES, invalidationsFor, parseChangeEvent } from './invalidation.js';
import { createSseParser } from './sse-parser.js';

export type LiveState = 'connecting' | 'live' | 'disconnected';

interface Stream {
  close(): void;
}

/** EventSource when no token is needed (it reconnects by itself). */
function openEventSource(
  url: string,
  onOpen: () => void,
  onError: () => void,
  onEvent: (type: string, data: string) => void,
): Stream {
  const source = new EventSource(url);
  source.onopen = onOpen;
  source.onerror = onError;
  for (const type of CHANGE_EVENT_TYPES)
    source.addEventListener(type, (e: MessageEvent<string>) => onEvent(type, e.data));
  return { close: () => source.close() };
}

/** fetch + a stream reader when a bearer token must be sent; reconnects with backoff (1 s doubling to 30 s). */
function openFetchStream(
  url: string,
  onOpen: () => void,
  onError: () => void,
  onEvent: (type: string, data: string) => void,
): Stream {
  const abort = new AbortController();
  let delay = 1000;
  let timer: number | undefined;
  const connect = async () => {
    try {
      const res = await fetch(url, {
        headers: { accept: 'text/event-stream', ...authHeader() },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`status ${res.status}`);
      onOpen();
      delay = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const feed = createSseParser((m) => onEvent(m.event, m.data));
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feed(value);
      }
      throw new Error('stream ended');
    } catch {
      if (abort.signal.aborted) return;
      onError();
      timer = window.setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void connect();
  return {
    close: () => {
      abort.abort();
      window.clearTimeout(timer);
    },
  };
}

/**
 * Subscribes to /api/events and invalidates only the queries each event affects. After a
 * reconnect everything is refetched, because events sent while disconnected are lost.
 */
export function useLiveUpdates(url = '/api/events', tokenVersion = 0): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let wasDisconnected = false;
    const onOpen = () => {
      setState('live');
      if (wasDisconnected) void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'trace' });
      wasDisconnected = false;
    };
    const onError = () => {
      wasDisconnected = true;
      setState('disconnected');
    };
    const onEvent = (type: string, data: string) => {
      const event = parseChangeEvent(type, data);
      if (!event) return;
      for (const filter of invalidationsFor(event)) void client.invalidateQueries(filter);
      // Diagnostics summarise everything; any change can alter them.
      if (event.type !== 'status') void client.invalidateQueries({ queryKey: ['diagnostics'] });
    };
    const open = Object.keys(authHeader()).length > 0 ? openFetchStream : openEventSource;
    const stream = open(url, onOpen, onError, onEvent);
    return () => stream.close();
  }, [client, url, tokenVersion]);

  return state;
}
