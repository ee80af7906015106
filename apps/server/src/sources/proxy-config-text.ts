import { LineCounter, parseDocument } from 'yaml';

export type ProxyConfigParse = { ok: true; config: Record<string, unknown> } | { ok: false; error: string };

/**
 * Parses a `KubeProxyConfiguration` as kube-proxy's ConfigMap holds it (`config.conf`, YAML or
 * JSON). Never throws: a bad document comes back as an error with its line.
 */
export function parseProxyConfigText(text: string): ProxyConfigParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const [first] = doc.errors;
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    return { ok: false, error: `line ${line}: ${first.message}` };
  }
  let value: unknown;
  try {
    value = doc.toJS(); // throws on unresolved or excessive aliases
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'not a KubeProxyConfiguration object' };
  }
  return { ok: true, config: value as Record<string, unknown> };
}
