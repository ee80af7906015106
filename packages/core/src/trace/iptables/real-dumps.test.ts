import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../common/shared-folder.test-helpers.js';
import { parseIptables } from '../../iptables/parse.js';
import type { IptablesRuleset } from '../../iptables/types.js';
import { traceIptables } from './trace.js';

const dumps = sharedPath('dumps');

/** Every `-d IP --dport N` a kube-proxy KUBE-SERVICES rule names: the cluster IPs to trace. */
function servicePortals(
  rs: IptablesRuleset,
): Array<{ ip: string; port: number; proto: 'tcp' | 'udp' | 'sctp' }> {
  const out: Array<{ ip: string; port: number; proto: 'tcp' | 'udp' | 'sctp' }> = [];
  for (const r of rs.tables.get('nat')?.chains.get('KUBE-SERVICES')?.rules ?? []) {
    const d = r.matches
      .find((m) => m.module === '')
      ?.options.find((o) => o.name === 'destination' && !o.negated);
    const p = r.matches.find((m) => m.module === '')?.options.find((o) => o.name === 'protocol');
    const port = r.matches.flatMap((m) => m.options).find((o) => o.name === 'dport');
    const proto = p?.args[0];
    if (d && port && (proto === 'tcp' || proto === 'udp' || proto === 'sctp')) {
      out.push({ ip: (d.args[0] ?? '').replace(/\/\d+$/, ''), port: Number(port.args[0]), proto });
    }
  }
  return out;
}

describe.skipIf(!dumps)('tracing real dumps (CNI rules included)', () => {
  const files = dumps ? readdirSync(dumps).filter((f) => f.endsWith('.txt')) : [];
  for (const file of files) {
    const text = readFileSync(join(dumps ?? '', file), 'utf8');
    const rs = parseIptables(text);
    if (!rs.tables.has('nat')) continue;
    it(`${file}: every Service portal traces to outcomes summing to 1`, () => {
      const portals = servicePortals(rs);
      for (const p of portals) {
        const r = traceIptables(
          rs,
          { src: '10.99.1.7', dst: p.ip, dport: p.port, proto: p.proto },
          { localAddresses: ['192.168.1.10'] },
        );
        const total = r.outcomes.reduce((s, o) => s + o.probability, 0);
        expect(total, `${p.ip}:${p.port}`).toBeCloseTo(1, 6);
        for (const o of r.outcomes) expect(o.path.length).toBeGreaterThan(0);
      }
    });
  }

  it('19: the 3-endpoint Service splits 1/3 each as iptables-nft prints the probabilities', () => {
    const text = readFileSync(
      join(dumps ?? '', '19-k8s1.29-flannel-docker-multiport-3-endpoints-iptables-save.txt'),
      'utf8',
    );
    const rs = parseIptables(text);
    const threeWay = servicePortals(rs)
      .map((p) =>
        traceIptables(
          rs,
          { src: '10.244.1.50', dst: p.ip, dport: p.port, proto: p.proto },
          { localAddresses: ['192.168.1.10'] },
        ),
      )
      .find((r) => new Set(r.outcomes.map((o) => o.dnat)).size === 3);
    expect(threeWay).toBeDefined();
    // Interface matches in Docker's FORWARD rules are undecided without interfaces, so one endpoint
    // can be reached by several paths; per endpoint the shares still add up to 1/3.
    const byEndpoint = new Map<string, number>();
    for (const o of threeWay?.outcomes ?? [])
      byEndpoint.set(o.dnat ?? '', (byEndpoint.get(o.dnat ?? '') ?? 0) + o.probability);
    expect(byEndpoint.size).toBe(3);
    for (const p of byEndpoint.values()) expect(p).toBeCloseTo(1 / 3, 6);
  });
});
