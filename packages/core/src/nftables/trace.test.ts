import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { loadConformanceCases } from '../conformance/load.test-helpers.js';
import { caseInputs } from '../conformance/inputs.js';
import { generateNftables } from './generate.js';
import { parseNftJson } from './parse-json.js';
import { parseNftText } from './parse-text.js';
import { traceNftables } from './trace.js';

const dumps = sharedPath('dumps');
const overall = loadConformanceCases('nft_TestOverallNFTablesRules')?.[0];
const node = { localAddresses: ['192.168.0.2', '192.168.1.2'] };
const overallRuleset = () => {
  if (!overall) throw new Error('no case');
  const i = caseInputs(overall);
  return parseNftText(generateNftables(i, i.settings, { family: 4, format: 'transaction' }).text);
};

describe('traceNftables', () => {
  it.skipIf(!dumps)('splits numgen random mod 9 into nine 1/9 branches on dump 13', () => {
    const rs = parseNftText(
      readFileSync(join(dumps ?? '', '13-k3s-kube-proxy-nftables-mode-nft-list-table.txt'), 'utf8'),
    );
    const r = traceNftables(
      rs,
      { src: '10.42.0.5', dst: '10.43.195.72', dport: 8000, proto: 'tcp' },
      { localAddresses: ['10.34.4.246'] },
    );
    const accepted = r.outcomes.filter((o) => o.verdict === 'ACCEPT');
    expect(accepted).toHaveLength(9);
    for (const o of accepted) expect(o.probability).toBeCloseTo(1 / 9, 12);
    expect(accepted.map((o) => o.dnat)).toContain('10.42.2.218:8080');
    const first = accepted[0];
    expect(first?.path.slice(0, 5).map((s) => s.chain)).toEqual([
      'filter-prerouting',
      'nat-prerouting',
      'services',
      'service-P6J77WGM-riset/hellopod-np-svc/tcp/',
      expect.stringMatching(/^endpoint-/),
    ]);
    // The old layout's masquerading chain returns early when the mark is not set.
    expect(first?.path.at(-1)).toMatchObject({
      chain: 'masquerading',
      rule: 1,
      action: 'return',
      hook: 'POSTROUTING',
    });
    expect(first?.path[0]?.table).toBe('ip kube-proxy');
    // A pod source is not masqueraded (old layout: mark-for-masquerade only for non-pod sources).
    expect(accepted.every((o) => !o.masquerade)).toBe(true);
  });

  it.skipIf(!overall)(
    'masquerades a local endpoint reaching itself through the hairpin set (post-DNAT tuple)',
    () => {
      const r = traceNftables(
        overallRuleset(),
        { src: '10.180.0.1', dst: '172.30.0.41', dport: 80, proto: 'tcp' },
        node,
      );
      const o = r.outcomes.find((x) => x.verdict === 'ACCEPT');
      expect(o?.dnat).toBe('10.180.0.1:80');
      expect(o?.masquerade).toBe(true);
      expect(o?.path.at(-1)?.action).toContain('MASQUERADE');
    },
  );

  it.skipIf(!overall)('notes the affinity set update with its timeout', () => {
    const r = traceNftables(
      overallRuleset(),
      { src: '10.0.0.9', dst: '172.30.0.45', dport: 80, proto: 'tcp' },
      node,
    );
    const o = r.outcomes.find((x) => x.verdict === 'ACCEPT');
    expect(o?.dnat).toBe('10.180.0.3:80');
    expect(o?.affinity?.timeoutSeconds).toBe(10800);
  });

  it.skipIf(!overall)('rejects a wrong port of a cluster IP and drops an unallocated service IP', () => {
    const rs = overallRuleset();
    const wrong = traceNftables(rs, { src: '10.0.0.9', dst: '172.30.0.41', dport: 81, proto: 'tcp' }, node);
    expect(wrong.outcomes.map((o) => o.verdict)).toEqual(['REJECT']);
    expect(wrong.outcomes[0]?.path.at(-1)?.chain).toBe('cluster-ips-check');
    const unalloc = traceNftables(rs, { src: '10.0.0.9', dst: '172.30.9.9', dport: 80, proto: 'tcp' }, node);
    expect(unalloc.outcomes.map((o) => o.verdict)).toEqual(['DROP']);
  });

  it.skipIf(!overall)(
    'starts at OUTPUT for a node-local source and masquerades it for an external IP',
    () => {
      const r = traceNftables(
        overallRuleset(),
        { src: '192.168.0.2', dst: '192.168.99.33', dport: 80, proto: 'tcp' },
        node,
      );
      expect(r.packet.startHook).toBe('OUTPUT');
      const acc = r.outcomes.filter((o) => o.verdict === 'ACCEPT');
      expect(acc.map((o) => o.dnat).sort()).toEqual(['10.180.0.4:80', '10.180.0.5:80']);
      expect(acc.every((o) => o.masquerade)).toBe(true);
      expect(acc[0]?.path[0]?.hook).toBe('OUTPUT');
    },
  );

  it('orders base chains of all tables by priority and honours a drop policy', () => {
    const rs = parseNftText(`table inet fw {
  chain input {
    type filter hook input priority filter; policy drop;
    tcp dport 22 accept
  }
}
table ip early {
  chain pre {
    type filter hook prerouting priority raw; policy accept;
    ip saddr 10.9.0.0/16 drop
  }
}`);
    const ok = traceNftables(rs, { src: '10.0.0.1', dst: '192.168.0.2', dport: 22, proto: 'tcp' }, node);
    expect(ok.outcomes.map((o) => o.verdict)).toEqual(['ACCEPT']);
    expect(ok.outcomes[0]?.path.map((s) => `${s.table}/${s.chain}#${s.rule}:${s.action}`)).toEqual([
      'inet fw/input#1:ACCEPT',
    ]);
    const denied = traceNftables(rs, { src: '10.0.0.1', dst: '192.168.0.2', dport: 80, proto: 'tcp' }, node);
    expect(denied.outcomes.map((o) => o.verdict)).toEqual(['DROP']);
    expect(denied.outcomes[0]?.path.at(-1)?.action).toBe('policy DROP');
    const early = traceNftables(rs, { src: '10.9.1.1', dst: '192.168.0.2', dport: 22, proto: 'tcp' }, node);
    expect(early.outcomes[0]?.path[0]?.table).toBe('ip early');
  });

  it('explores both answers of a statement it does not model and says so', () => {
    const rs = parseNftText(`table ip t {
  chain c {
    type filter hook prerouting priority 0; policy accept;
    meta skuid 0 drop
  }
}`);
    const r = traceNftables(rs, { src: '10.0.0.1', dst: '10.0.0.2', dport: 80, proto: 'tcp' }, node);
    expect(r.outcomes.map((o) => [o.verdict, o.probability, o.assumptions[0]?.assumed])).toEqual([
      ['DROP', 0.5, 'matched'],
      ['ACCEPT', 0.5, 'not matched'],
    ]);
    expect(r.outcomes[0]?.assumptions[0]?.match).toBe('meta skuid 0');
  });

  it('stops at a jump loop with a warning instead of recursing', () => {
    const rs = parseNftText(
      'table ip t {\n chain base {\n  type filter hook prerouting priority 0; policy accept;\n  jump a\n }\n chain a {\n  jump b\n }\n chain b {\n  jump a\n  drop\n }\n}',
    );
    const r = traceNftables(rs, { src: '10.0.0.1', dst: '10.0.0.2', dport: 80, proto: 'tcp' }, node);
    expect(r.outcomes.map((o) => o.verdict)).toEqual(['DROP']);
    expect(r.warnings).toEqual(['jump loop through a; treated as return']);
  });

  it('follows data maps and spreads an unmodelled hash evenly, saying so', () => {
    const dir = join(import.meta.dirname, 'testdata');
    const text = parseNftText(readFileSync(join(dir, 'generic-nft-1.0.6-a.txt'), 'utf8'));
    const json = parseNftJson(readFileSync(join(dir, 'generic-nft-1.0.6.json'), 'utf8'));
    for (const rs of [text, json]) {
      const viaMap = traceNftables(
        rs,
        {
          src: '8.8.8.8',
          dst: '203.0.113.2',
          dport: 80,
          proto: 'tcp',
          inInterface: 'eth0',
          outInterface: 'eth0',
        },
        node,
      );
      expect(viaMap.outcomes.map((o) => [o.verdict, o.dnat, o.probability])).toEqual([
        ['ACCEPT', '10.0.0.2:80', 1],
      ]);
      const hashed = traceNftables(
        rs,
        {
          src: '8.8.8.8',
          dst: '203.0.113.2',
          dport: 9000,
          proto: 'tcp',
          inInterface: 'eth0',
          outInterface: 'eth0',
        },
        node,
      );
      expect(hashed.outcomes.map((o) => [o.dnat, o.probability])).toEqual([
        ['10.0.0.5:9000', 0.5],
        ['10.0.0.6:9000', 0.5],
      ]);
      expect(hashed.outcomes[0]?.assumptions[0]?.match).toBe(
        'jhash ip saddr mod 2 = 0 (not modelled, assumed uniform)',
      );
      const blocked = traceNftables(
        rs,
        { src: '198.51.100.5', dst: '192.168.0.2', dport: 22, proto: 'tcp', inInterface: 'eth0' },
        node,
      );
      expect(blocked.outcomes.map((o) => [o.verdict, o.path.at(-1)?.rule])).toEqual([['DROP', 3]]);
    }
  });

  it('traces the kernel JSON dump the same way as the text dump', () => {
    const dir = join(import.meta.dirname, 'testdata');
    const text = parseNftText(readFileSync(join(dir, 'overall-nft-1.0.6-a.txt'), 'utf8'));
    const json = parseNftJson(readFileSync(join(dir, 'overall-nft-1.0.6.json'), 'utf8'));
    for (const p of [
      { src: '10.0.0.9', dst: '172.30.0.44', dport: 80, proto: 'tcp' as const },
      { src: '203.0.113.200', dst: '5.6.7.8', dport: 80, proto: 'tcp' as const },
      { src: '192.168.0.2', dst: '192.168.0.2', dport: 3001, proto: 'tcp' as const },
      { src: '10.180.0.3', dst: '172.30.0.43', dport: 80, proto: 'tcp' as const },
    ]) {
      const a = traceNftables(text, p, node).outcomes.map((o) => [
        o.verdict,
        o.dnat,
        o.masquerade,
        o.probability,
      ]);
      const b = traceNftables(json, p, node).outcomes.map((o) => [
        o.verdict,
        o.dnat,
        o.masquerade,
        o.probability,
      ]);
      expect(b).toEqual(a);
    }
  });
});

describe('traceNftables properties', () => {
  const ip4 = fc
    .tuple(
      fc.constantFrom(10, 172, 192, 127, 1, 5),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
    )
    .map((p) => p.join('.'));
  const packet = fc.record({
    src: fc.oneof(ip4, fc.constantFrom('192.168.0.2', '10.180.0.1', '10.0.0.2')),
    dst: fc.oneof(
      ip4,
      fc.constantFrom('172.30.0.41', '172.30.0.44', '192.168.0.2', '5.6.7.8', '1.2.3.4', '127.0.0.1'),
    ),
    dport: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(80, 3001, 3002, 3003)),
    proto: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const),
  });

  it.skipIf(!overall)('never throws and its outcomes always sum to probability 1', () => {
    const rs = overallRuleset();
    fc.assert(
      fc.property(packet, (p) => {
        const r = traceNftables(rs, p, node);
        expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
        for (const o of r.outcomes)
          if (o.dnat !== null)
            expect(o.path.some((s) => s.action.includes(`DNAT ${o.dnat ?? ''}`))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary rules', () => {
    const word = fc.constantFrom(
      'ip',
      'saddr',
      'daddr',
      '10.0.0.0/8',
      '!=',
      '@s',
      'jump',
      'goto',
      'c',
      'drop',
      'accept',
      'return',
      'meta',
      'mark',
      'set',
      'or',
      '0x4000',
      'numgen',
      'random',
      'mod',
      '2',
      'vmap',
      '{',
      '0',
      ':',
      'goto',
      'c',
      ',',
      '1',
      '}',
      'dnat',
      'to',
      '10.1.1.1:80',
      'th',
      'dport',
      '.',
      'fib',
      'type',
      'local',
      'ct',
      'state',
      'new',
      'masquerade',
      'update',
      'log',
    );
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 12 }), { maxLength: 5 }), packet, (rules, p) => {
        const text = `table ip t {\n set s { type ipv4_addr; elements = { 10.0.0.2 } }\n chain base {\n type nat hook prerouting priority dstnat; policy accept;\n${rules.map((r) => `  ${r.join(' ')}\n`).join('')} }\n chain c {\n${rules.map((r) => `  ${r.join(' ')}\n`).join('')} }\n}`;
        const r = traceNftables(parseNftText(text), p, node);
        expect(r.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
      }),
      { numRuns: 300 },
    );
  });
});
