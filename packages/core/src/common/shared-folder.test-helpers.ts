// Tests read the project's shared reference folder (conformance cases, real dumps) in place.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `../shared` beside the repository, or `$SVCPATH_SHARED`. */
export const sharedDir = process.env['SVCPATH_SHARED'] ?? resolve(repoRoot, '../shared');

/**
 * The path of `sub` inside the shared folder, or null when it is absent; prints why, so that a
 * skipped test says what it skipped.
 */
export function sharedPath(sub: string): string | null {
  const p = resolve(sharedDir, sub);
  if (existsSync(p)) return p;
  console.warn(`[svcpath tests] skipping: ${p} is absent (set SVCPATH_SHARED to the shared folder)`);
  return null;
}
