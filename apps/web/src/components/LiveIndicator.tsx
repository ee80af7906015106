import type { LiveState } from '../api/useLiveUpdates.js';

const TEXT: Record<LiveState, string> = {
  connecting: 'connecting…',
  live: 'live',
  disconnected: 'disconnected — retrying',
};

export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span
      className={`live ${state}`}
      data-testid="live-indicator"
      role="status"
      aria-live="polite"
      title="Live updates from the server (Server-Sent Events)"
    >
      <span className="dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
