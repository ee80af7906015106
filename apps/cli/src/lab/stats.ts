// Binomial tolerance for comparing observed endpoint counts with the tracer's probabilities.

/** Standard deviations allowed: wide enough that a correct dataplane fails about once in 10^5 runs. */
export const SIGMAS = 4.5;

/**
 * The largest |observed − p·n| accepted for an outcome of probability `p` over `n` trials:
 * SIGMAS standard deviations of the binomial plus one for rounding. p = 0 or 1 leaves only that one.
 */
export function binomialTolerance(n: number, p: number): number {
  const q = Math.min(1, Math.max(0, p));
  return SIGMAS * Math.sqrt(n * q * (1 - q)) + 1;
}

/** Whether `observed` of `n` trials is plausible for probability `p`. */
export function withinTolerance(observed: number, n: number, p: number): boolean {
  return Math.abs(observed - p * n) <= binomialTolerance(n, p);
}
