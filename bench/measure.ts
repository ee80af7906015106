// Small timing helpers for benchmark sections. Each section runs in its own process so that its
// peak memory (maxRSS) is its own.

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const figures: Figure[] = [];

export function report(section: string, name: string, value: number, unit: string, target?: string): void {
  figures.push({ section, name, value, unit, ...(target ? { target } : {}) });
  process.stdout.write(`${JSON.stringify({ section, name, value, unit, target })}\n`);
}

/** Runs `fn` once and returns its wall time in ms. */
export function timeOnce<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Median wall time in ms of `runs` calls. */
export function medianMs(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timeOnce(fn).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
