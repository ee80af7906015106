/** Probability as a percentage people read at a glance: 33.3 %, 100 %, 0.01 %. */
export function percent(p: number): string {
  const v = p * 100;
  if (v === 0) return '0 %';
  if (v >= 99.995 && v <= 100) return '100 %';
  if (v < 0.1) return `${v.toPrecision(2)} %`;
  return `${v.toFixed(1)} %`;
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: string[][], gap = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join(gap)
        .trimEnd(),
    )
    .join('\n');
}
