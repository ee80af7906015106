import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { CHANGE_EVENT_TYPES, invalidationsFor, parseChangeEvent } from './invalidation.js';

export type LiveState = 'connecting' | 'live' | 'disconnected';

/**
 * Subscribes to /api/events and invalidates only the queries each event affects.
 * EventSource reconnects by itself; after a reconnect everything is refetched because
 * events sent while disconnected are lost.
 */
export function useLiveUpdates(url = '/api/events'): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const source = new EventSource(url);
    let wasDisconnected = false;
    source.onopen = () => {
      setState('live');
      if (wasDisconnected) void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'trace' });
      wasDisconnected = false;
    };
    source.onerror = () => {
      wasDisconnected = true;
      setState('disconnected');
    };
    const listeners = CHANGE_EVENT_TYPES.map((type) => {
      const listener = (e: MessageEvent<string>) => {
        const event = parseChangeEvent(type, e.data);
        if (!event) return;
        for (const filter of invalidationsFor(event)) void client.invalidateQueries(filter);
        // Diagnostics and status summarise everything; any change can alter them.
        if (event.type !== 'status') void client.invalidateQueries({ queryKey: ['diagnostics'] });
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, l] of listeners) source.removeEventListener(type, l);
      source.close();
    };
  }, [client, url]);

  return state;
}
