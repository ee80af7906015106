// The kernel's answers against the tracer's prediction for one target.
import type { Prediction } from './predict.js';
import type { ProbeResult } from './scripts.js';
import { binomialTolerance, withinTolerance } from './stats.js';
import type { LabCheck, LabOutcomeRow } from './types.js';

/** How a connection ended, in `Prediction` keys (`error:…` never predicted). */
export function observedKey(r: ProbeResult): string {
  if (r.reply) return r.reply.endpoint;
  return r.error === 'refused' || r.error === 'timeout' ? r.error : 'error';
}

/** Whether the pod saw a source other than the client's own address. */
export function observedMasquerade(r: ProbeResult): boolean | null {
  if (!r.reply) return null;
  const peerIP = r.reply.peer.replace(/:\d+$/, '');
  return peerIP !== r.local;
}

const isEndpoint = (key: string) => key.includes(':') && !key.startsWith('error');
/** Expected count below which never seeing an outcome is not remarkable (P(miss) ≈ e^-10). */
const MUST_SEE = 10;

const MASQ_WORDS = { true: 'masqueraded', false: 'source kept', mixed: 'mixed' } as const;

/** `masqueraded`, or per endpoint when they differ (hairpin: only the pod's own endpoint). */
function describeMasquerade(prediction: Prediction): string {
  const byValue = new Map<string, string[]>();
  for (const [key, v] of prediction.masquerade) {
    if (!isEndpoint(key)) continue;
    const word = MASQ_WORDS[String(v) as keyof typeof MASQ_WORDS];
    byValue.set(word, [...(byValue.get(word) ?? []), key]);
  }
  if (byValue.size <= 1) return [...byValue.keys()].join('');
  return [...byValue].map(([word, keys]) => `${word}: ${keys.join(', ')}`).join('; ');
}

export interface Comparison {
  outcomes: LabOutcomeRow[];
  checks: LabCheck[];
}

/**
 * Compares per-client results (first connection of each client counts towards the shares; later
 * ones only towards affinity) with the prediction.
 */
export function compare(prediction: Prediction, clients: readonly ProbeResult[][]): Comparison {
  const first = clients.map((c) => c[0]).filter((r): r is ProbeResult => r !== undefined);
  const n = first.length;
  const counts = new Map<string, number>();
  for (const r of first) counts.set(observedKey(r), (counts.get(observedKey(r)) ?? 0) + 1);

  const keys = [...new Set([...prediction.shares.keys(), ...counts.keys()])].sort();
  const outcomes: LabOutcomeRow[] = keys.map((key) => {
    const p = prediction.shares.get(key) ?? 0;
    const observed = counts.get(key) ?? 0;
    return {
      key,
      predicted: p,
      observed,
      tolerance: binomialTolerance(n, p),
      ok: withinTolerance(observed, n, p),
    };
  });

  const checks: LabCheck[] = [];
  const predictedEndpoints = keys.filter((k) => isEndpoint(k) && (prediction.shares.get(k) ?? 0) > 0);
  const seenEndpoints = keys.filter((k) => isEndpoint(k) && (counts.get(k) ?? 0) > 0);
  const unexpected = seenEndpoints.filter((k) => !predictedEndpoints.includes(k));
  const missing = predictedEndpoints.filter(
    (k) => !seenEndpoints.includes(k) && (prediction.shares.get(k) ?? 0) * n >= MUST_SEE,
  );
  checks.push({
    name: 'endpoints',
    ok: unexpected.length === 0 && missing.length === 0,
    detail:
      unexpected.length || missing.length
        ? [
            unexpected.length ? `unexpected ${unexpected.join(', ')}` : '',
            missing.length ? `never reached ${missing.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ')
        : `${seenEndpoints.length} of ${predictedEndpoints.length} predicted endpoints answered`,
  });

  const shareRows = outcomes.filter((o) => isEndpoint(o.key));
  const badShares = shareRows.filter((o) => !o.ok);
  checks.push({
    name: 'shares',
    ok: badShares.length === 0,
    detail: badShares.length
      ? badShares.map((o) => `${o.key} ${o.observed}/${n} vs p=${o.predicted.toFixed(3)}`).join('; ')
      : shareRows.length
        ? `all within ±${Math.max(...shareRows.map((o) => o.tolerance)).toFixed(1)} of p·${n}`
        : 'no endpoint predicted or reached',
  });

  const verdictRows = outcomes.filter((o) => !isEndpoint(o.key));
  const answered = shareRows.reduce((s, o) => s + o.observed, 0);
  const pAnswered = shareRows.reduce((s, o) => s + o.predicted, 0);
  const verdictOk = verdictRows.every((o) => o.ok) && withinTolerance(answered, n, pAnswered);
  checks.push({
    name: 'verdict',
    ok: verdictOk,
    detail: [
      `answered ${answered}/${n} (p=${pAnswered.toFixed(3)})`,
      ...verdictRows.map((o) => `${o.key} ${o.observed}/${n} (p=${o.predicted.toFixed(3)})`),
    ].join(', '),
  });

  const all = clients.flat();
  let masqMismatch = 0;
  let masqSeen = 0;
  const wrong = new Set<string>();
  for (const r of all) {
    const seen = observedMasquerade(r);
    const key = observedKey(r);
    const want = prediction.masquerade.get(key);
    if (seen === null || want === undefined || want === 'mixed') continue;
    masqSeen++;
    if (seen !== want) {
      masqMismatch++;
      wrong.add(
        `${key} ${seen ? 'masqueraded' : 'not masqueraded'}, predicted ${want ? 'masqueraded' : 'not masqueraded'}`,
      );
    }
  }
  checks.push({
    name: 'masquerade',
    ok: masqMismatch === 0,
    detail: masqMismatch
      ? `${masqMismatch}/${masqSeen} disagree: ${[...wrong].join('; ')}`
      : masqSeen
        ? `${masqSeen} answers agree (${describeMasquerade(prediction)})`
        : 'no answers to compare',
  });

  const repeats = clients.filter((c) => c.length > 1);
  if (prediction.affinity || repeats.length) {
    const broken = repeats.filter((c) => new Set(c.map(observedKey)).size > 1).length;
    const ok = prediction.affinity && repeats.length > 0 && broken === 0;
    checks.push({
      name: 'affinity',
      ok,
      detail: !prediction.affinity
        ? 'tracer predicts no affinity'
        : repeats.length === 0
          ? 'not probed with repeated connections'
          : broken
            ? `${broken}/${repeats.length} clients reached another endpoint on a later connection`
            : `${repeats.length} clients each stayed on their first endpoint`,
    });
  }
  return { outcomes, checks };
}
