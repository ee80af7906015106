/** Formatting shared by the views. Numbers are shown the way kube-proxy writes them. */

/** Conditional probability as kube-proxy shows it: 1, 0.5, 0.33333. */
export const formatProbability = (p: number): string => {
  if (!Number.isFinite(p)) return '?';
  if (p >= 1) return '1';
  if (p <= 0) return '0';
  return String(Number(p.toFixed(5)));
};

/** Effective share in percent: 33.3 %. */
export const formatShare = (p: number): string => {
  if (!Number.isFinite(p)) return '?';
  const pct = p * 100;
  const digits = pct !== 0 && pct < 0.1 ? 3 : 1;
  return `${pct.toFixed(digits).replace(/\.0+$/, '')} %`;
};

export const formatAge = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(seconds / 86400).toFixed(1).replace(/\.0$/, '')} d`;
};

export const formatBytes = (n: number): string => {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
};

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
