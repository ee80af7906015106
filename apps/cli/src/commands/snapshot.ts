import { downloadSnapshot } from '@svcpath/server';
import type { SnapshotOptions } from '../input/schemas.js';
import { readToken } from './serve.js';

export async function runSnapshot(opts: SnapshotOptions): Promise<string> {
  const token = opts.authTokenFile ? readToken(opts.authTokenFile) : undefined;
  const files = await downloadSnapshot(opts.server, opts.out, token ? { token } : {});
  return `wrote ${files.length} files to ${opts.out}:\n${files.map((f) => `  ${f}`).join('\n')}`;
}
