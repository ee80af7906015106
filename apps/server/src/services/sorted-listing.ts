// What the Services and pods lists share: objects kept sorted by namespace, then name, so that a
// namespace is one contiguous range and a page is a slice.

/** Code-unit order, as the API lists names (no locale). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const byNamespaceThenName = (
  a: { namespace: string; name: string },
  b: { namespace: string; name: string },
): number =>
  a.namespace === b.namespace ? compareText(a.name, b.name) : compareText(a.namespace, b.namespace);

/** Where each namespace's objects are in a list sorted by namespace: [first, end). */
export function namespaceRanges(
  sorted: ReadonlyArray<{ namespace: string }>,
): Map<string, readonly [number, number]> {
  const ranges = new Map<string, readonly [number, number]>();
  sorted.forEach((o, i) => {
    const range = ranges.get(o.namespace);
    ranges.set(o.namespace, [range ? range[0] : i, i + 1]);
  });
  return ranges;
}
