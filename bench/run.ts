// `npm run bench`: runs each section in its own node process and prints the figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const sections = readdirSync(join(here, 'sections'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  // Numbered names run in order (a section may read the dump an earlier one wrote).
  .sort()
  .filter((s) => only.length === 0 || only.includes(s));

const all: Figure[] = [];
for (const s of sections) {
  // Timings depend on what else the machine runs: the load average puts them in context.
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  process.stdout.write(`\n== ${s} (load average ${load} on ${availableParallelism()} cores)\n`);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', join(here, 'sections', `${s}.ts`)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60 * 1000,
    },
  );
  for (const line of (r.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) {
      if (line.trim()) process.stdout.write(`${line}\n`);
      continue;
    }
    const f = JSON.parse(line) as Figure;
    all.push(f);
    const v =
      f.unit === 'ratio' ? f.value.toFixed(2) : f.value >= 100 ? f.value.toFixed(0) : f.value.toPrecision(3);
    process.stdout.write(
      `  ${f.name.padEnd(60)} ${`${v} ${f.unit}`.padStart(14)}${f.target ? `   (target ${f.target} ${f.unit})` : ''}\n`,
    );
  }
  if (r.status !== 0) process.stdout.write(`  section ${s} failed (exit ${r.status ?? r.signal})\n`);
}
process.stdout.write(`\n${all.length} figures from ${sections.length} sections\n`);
