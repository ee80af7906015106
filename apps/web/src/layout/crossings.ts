/** Edge-crossing counting between two adjacent layers, O(E log E) by counting inversions. */

/**
 * Counts crossings among straight edges between two ordered layers.
 * @param pairs `[position in upper layer, position in lower layer]` per edge.
 */
export function countCrossings(pairs: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const seq = sorted.map((p) => p[1]);
  return countInversions(seq);
}

/** Number of pairs i < j with seq[i] > seq[j] (merge sort). */
function countInversions(seq: number[]): number {
  const buf = new Array<number>(seq.length);
  const sort = (lo: number, hi: number): number => {
    if (hi - lo < 2) return 0;
    const mid = (lo + hi) >> 1;
    let count = sort(lo, mid) + sort(mid, hi);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) {
      const a = seq[i] as number;
      const b = seq[j] as number;
      if (a <= b) {
        buf[k++] = a;
        i++;
      } else {
        buf[k++] = b;
        j++;
        count += mid - i;
      }
    }
    while (i < mid) buf[k++] = seq[i++] as number;
    while (j < hi) buf[k++] = seq[j++] as number;
    for (let t = lo; t < hi; t++) seq[t] = buf[t] as number;
    return count;
  };
  return sort(0, seq.length);
}
