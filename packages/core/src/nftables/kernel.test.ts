// Loads generated rulesets into a real kernel (in a private network namespace) and reads them back.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInputs } from '../conformance/inputs.js';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { parseFlowOutput, summarizeFlow } from '../trace/flow-summary.js';
import type { L4Protocol } from '../trace/types.js';
import { generateNftables } from './generate.js';
import { serializeNftRuleset } from './render.js';
import { traceNftables } from './trace.js';
import { parseNftJson } from './parse-json.js';
import { parseNftText } from './parse-text.js';
import type { NftRuleset } from './types.js';

function whyNot(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (creating a network namespace needs root)';
  if (spawnSync('nft', ['--version']).status !== 0) return 'nft is not installed';
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'ip netns is not available';
  return null;
}
const reason = whyNot();
if (reason !== null) console.warn(`[svcpath tests] skipping nftables kernel tests: ${reason}`);
const cases = loadConformanceCases('nft_') ?? [];
const ns = `svcpath-nft-${randomBytes(4).toString('hex')}`;
let nsCreated = false;

function nft(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What the kernel must agree with: chains (hook, priority, rule count) and set/map elements. */
function model(rs: NftRuleset): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of rs.tables) {
    for (const c of t.chains.values())
      out[`${t.family} ${t.name} chain ${c.name}`] =
        `${c.hook ?? '-'} ${c.priority ?? '-'} rules=${c.rules.length}`;
    for (const s of t.sets.values()) {
      const els = s.elements.map(
        (e) =>
          `${e.key.join(' . ')}${e.value === null ? '' : 'verdict' in e.value ? ` : ${e.value.verdict} ${e.value.target ?? ''}` : ` : ${e.value.data.join(' . ')}`}`,
      );
      out[`${t.family} ${t.name} ${s.kind} ${s.name}`] = els.sort().join(', ');
    }
  }
  return out;
}

describe.skipIf(reason !== null || cases.length === 0)('nftables rulesets in the kernel', () => {
  beforeAll(() => {
    const r = spawnSync('ip', ['netns', 'add', ns]);
    nsCreated = r.status === 0;
    if (!nsCreated) throw new Error(`ip netns add ${ns} failed: ${String(r.stderr)}`);
  });
  afterAll(() => {
    if (nsCreated) spawnSync('ip', ['netns', 'del', ns]);
  });

  for (const c of cases) {
    it(`${c.id}: nft -c accepts both forms; loaded ruleset reads back as generated`, () => {
      const inputs = caseInputs(c);
      const tx = generateNftables(inputs, inputs.settings, {
        family: inputs.family,
        format: 'transaction',
      }).text;
      const ruleset = generateNftables(inputs, inputs.settings, {
        family: inputs.family,
        format: 'ruleset',
      }).text;
      // A check runs against the namespace's current state: start from an empty one.
      expect(nft(['flush', 'ruleset']).status).toBe(0);
      for (const text of [tx, ruleset]) {
        const check = nft(['-c', '-f', '-'], text);
        expect(check.stderr).toBe('');
        expect(check.status).toBe(0);
      }
      expect(nft(['flush', 'ruleset']).status).toBe(0);
      const load = nft(['-f', '-'], ruleset);
      expect(load.stderr).toBe('');
      const json = parseNftJson(nft(['-j', 'list', 'ruleset']).stdout);
      const listed = parseNftText(nft(['list', 'ruleset']).stdout);
      expect(json.issues).toEqual([]);
      expect(listed.issues).toEqual([]);
      const mine = model(parseNftText(tx));
      expect(model(json)).toEqual(mine);
      expect(model(listed)).toEqual(mine);
      // kube-proxy's packet flows hold on what the kernel holds, read either way.
      for (const f of c.flows ?? []) {
        const packet = {
          src: f.sourceIP,
          dst: f.destIP,
          dport: f.destPort,
          proto: f.protocol.toLowerCase() as L4Protocol,
        };
        for (const rs of [json, listed]) {
          const got = summarizeFlow(traceNftables(rs, packet, { localAddresses: c.nodeIPs }));
          expect(got.output, f.name).toEqual(parseFlowOutput(f.output));
          if (got.output.some((x) => x.includes(':'))) expect(got.masq, f.name).toBe(f.masq);
        }
      }
      // The JSON reading, printed by svcpath, loads back into the same kernel state.
      expect(nft(['flush', 'ruleset']).status).toBe(0);
      const reload = nft(['-f', '-'], serializeNftRuleset(json));
      expect(reload.stderr).toBe('');
      expect(model(parseNftJson(nft(['-j', 'list', 'ruleset']).stdout))).toEqual(mine);
    });
  }
});
