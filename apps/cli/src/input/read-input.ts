import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** Largest input file the command reads (a 10,000-Service iptables-save is about 25 MB). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export class InputError extends Error {}

/** Reads a text file (`-` = standard input), refusing directories and oversized files. */
export function readText(path: string): string {
  if (path === '-') return readFileSync(0, 'utf8');
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (size > MAX_INPUT_BYTES)
    throw new InputError(`${path} is ${size} bytes; the limit is ${MAX_INPUT_BYTES}`);
  return readFileSync(path, 'utf8');
}

/** Reads JSON or YAML (JSON is YAML, but JSON.parse is much faster for big cluster dumps). */
export function readStructured(path: string): unknown {
  const text = readText(path);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new InputError(`${path} is not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    const docs = parseYamlAll(text);
    return docs.length === 1 ? docs[0] : { items: docs };
  } catch (e) {
    throw new InputError(`${path} is not valid YAML or JSON: ${(e as Error).message}`);
  }
}

/** Multi-document YAML (`---`), as kubectl and manifests write it. */
function parseYamlAll(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [];
  const out: unknown[] = [];
  for (const d of docs) {
    const [err] = d.errors;
    if (err) throw new Error(`line ${err.linePos?.[0].line ?? '?'}: ${err.message}`);
    const js: unknown = d.toJS();
    if (js !== null && js !== undefined) out.push(js);
  }
  return out;
}
