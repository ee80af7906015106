// Cleanups that must run when the process is interrupted: one signal handler for all running labs.

const active = new Set<() => void>();

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of active) cleanup();
  active.clear();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Runs `cleanup` on SIGINT/SIGTERM (then exits) until the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  if (active.size === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  active.add(cleanup);
  return () => {
    active.delete(cleanup);
    if (active.size === 0) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  };
}
