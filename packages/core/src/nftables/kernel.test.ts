// Loads generated rulesets into a real kernel (in a private network namespace) and reads them back.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInputs } from '../conformance/inputs.js';
import { defaultProxySettings } from '../model/proxy-config.js';
import type { EndpointSlice, Service } from '../model/types.js';
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

  it('IPv6 with affinity, source ranges, eTP Local and several endpoints loads and reads back', () => {
    const settings = {
      ...defaultProxySettings('n1', ['2001:db8::1', '192.168.0.2']),
      mode: 'nftables' as const,
      clusterCIDRs: ['fd00:10::/64'],
      detectLocalMode: 'ClusterCIDR' as const,
      serviceCIDRs: ['fd00:10:96::/112'],
      nodePortAddresses: ['2001:db8::/64'],
    };
    const services: Service[] = [
      {
        metadata: { name: 'web', namespace: 'ns' },
        spec: {
          type: 'LoadBalancer',
          clusterIP: 'fd00:10:96::10',
          externalTrafficPolicy: 'Local',
          healthCheckNodePort: 30999,
          sessionAffinity: 'ClientIP',
          loadBalancerSourceRanges: ['2001:db8::/32'],
          ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
        },
        status: { loadBalancer: { ingress: [{ ip: '2001:db8:ff::1' }] } },
      },
      {
        metadata: { name: 'dns', namespace: 'ns' },
        spec: { clusterIP: 'fd00:10:96::53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
      },
    ];
    const endpointSlices: EndpointSlice[] = [
      {
        metadata: { name: 'web-1', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv6',
        endpoints: [
          { addresses: ['fd00:10::a'], nodeName: 'n1' },
          { addresses: ['fd00:10::b'], nodeName: 'n2' },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      {
        metadata: { name: 'dns-1', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'dns' } },
        addressType: 'IPv6',
        endpoints: [
          { addresses: ['fd00:10::c'] },
          { addresses: ['fd00:10::d'] },
          { addresses: ['fd00:10::e'] },
        ],
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
      },
    ];
    const tx = generateNftables({ services, endpointSlices }, settings, { family: 6, format: 'transaction' });
    expect(tx.issues).toEqual([]);
    expect(tx.text).toContain('update @affinity-');
    expect(tx.text).toContain('dnat to [fd00:10::a]:8080');
    expect(nft(['flush', 'ruleset']).status).toBe(0);
    const load = nft(['-f', '-'], tx.text);
    expect(load.stderr).toBe('');
    const mine = model(parseNftText(tx.text));
    expect(model(parseNftJson(nft(['-j', 'list', 'ruleset']).stdout))).toEqual(mine);
    expect(model(parseNftText(nft(['list', 'ruleset']).stdout))).toEqual(mine);
    const rs = parseNftJson(nft(['-j', 'list', 'ruleset']).stdout);
    const r = traceNftables(
      rs,
      { src: 'fd00:10::99', dst: 'fd00:10:96::53', dport: 53, proto: 'udp' },
      { localAddresses: settings.nodeIPs },
    );
    expect(r.outcomes.map((o) => o.dnat).sort()).toEqual([
      '[fd00:10::c]:53',
      '[fd00:10::d]:53',
      '[fd00:10::e]:53',
    ]);
    const outside = traceNftables(
      rs,
      { src: '2001:db9::1', dst: '2001:db8:ff::1', dport: 80, proto: 'tcp' },
      { localAddresses: settings.nodeIPs },
    );
    expect(outside.outcomes.map((o) => o.verdict)).toEqual(['DROP']);
    const allowed = traceNftables(
      rs,
      { src: '2001:db8:5::1', dst: '2001:db8:ff::1', dport: 80, proto: 'tcp' },
      { localAddresses: settings.nodeIPs },
    );
    expect(allowed.outcomes.map((o) => [o.dnat, o.masquerade, o.affinity?.timeoutSeconds])).toEqual([
      ['[fd00:10::a]:8080', false, 10800],
    ]);
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
