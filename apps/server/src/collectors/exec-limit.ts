// At most `max` tasks at once; the others wait their turn in order.
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(max: number): Limiter {
  const slots = Math.max(1, max);
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished task hands its slot straight to the next waiter, so no newcomer can slip in between.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
