/** Capped exponential backoff with jitter. */
export interface BackoffPolicy {
  /** First delay (default 1 s). */
  initialMs: number;
  /** Largest delay (default 30 s). */
  maxMs: number;
  /** Spread around the nominal delay, 0..1 (0.2 → ±10 %). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

/**
 * Delay before retry number `attempt` (0 for the first retry): initial × 2^attempt, capped,
 * spread by jitter so that many clients do not retry in step; never above `maxMs`.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const nominal = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  const spread = 1 - policy.jitter / 2 + policy.jitter * random();
  return Math.max(0, Math.min(policy.maxMs, Math.round(nominal * spread)));
}
