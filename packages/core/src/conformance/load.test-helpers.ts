// Reads the shared conformance cases from disk (tests only).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import type { ConformanceCase } from './types.js';

/** Every case file (optionally only those whose id starts with `prefix`), or null when the folder is absent. */
export function loadConformanceCases(prefix = ''): ConformanceCase[] | null {
  const dir = sharedPath('conformance');
  if (!dir) return null;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'naming_vectors.json' && f.startsWith(prefix))
    .sort()
    .map((f) => ({
      ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<ConformanceCase, 'id'>),
      id: f.slice(0, -5),
    }));
}
