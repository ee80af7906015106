/**
 * Effective shares of a chain of random choices: rule i is reached with the product of the
 * not-taken probabilities before it and taken with its own conditional probability
 * (null = no statistic match = always taken). `1/3, 1/2, null` gives `1/3, 1/3, 1/3`.
 */
export function effectiveShares(conditional: readonly (number | null)[]): number[] {
  let remaining = 1;
  return conditional.map((p) => {
    const taken = p ?? 1;
    const share = remaining * taken;
    remaining *= 1 - taken;
    return share;
  });
}
