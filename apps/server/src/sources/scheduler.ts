/** Runs `fn` after `ms`; returns a function that cancels it. Injected so tests control waiting. */
export type Scheduler = (fn: () => void, ms: number) => () => void;

/** setTimeout-based scheduler; timers do not keep the process alive on their own. */
export const timerScheduler: Scheduler = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

/** Waits `ms` through `schedule`; `cancel()` resolves the wait early. */
export function cancellableSleep(
  schedule: Scheduler,
  ms: number,
): { done: Promise<void>; cancel: () => void } {
  let resolveWait: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveWait = resolve;
  });
  const cancelTimer = schedule(() => resolveWait(), ms);
  return {
    done,
    cancel: () => {
      cancelTimer();
      resolveWait();
    },
  };
}
