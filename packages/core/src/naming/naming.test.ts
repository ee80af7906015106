import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../common/shared-folder.test-helpers.js';
import { base32Encode } from './base32.js';
import { endpointChainName, servicePortChainHash, servicePortChainNames } from './iptables-names.js';
import { nftEndpointNameBase, nftServicePortNameBase, truncateNftComment } from './nftables-names.js';
import { formatFixedGo, iptablesProbability } from './probability.js';
import { sha256 } from './sha256.js';

interface Vectors {
  iptablesServiceChains: Array<{
    servicePortName: string;
    protocol: string;
    hashInput: string;
    chain: string;
  }>;
  iptablesEndpointChains: Array<{
    servicePortName: string;
    protocol: string;
    endpoint: string;
    chain: string;
  }>;
  iptablesProbability: Record<string, string>;
  nftablesChainNameBase: Array<{
    namespace: string;
    name: string;
    port: string;
    protocol: string;
    expected: string;
  }>;
  nftablesEndpointChainNameBase: Array<{
    namespace: string;
    name: string;
    port: string;
    protocol: string;
    endpoint: string;
    expected: string;
  }>;
  nftablesCommentTruncation: { input: string; expected: string };
}

const dir = sharedPath('conformance');
const vectors: Vectors | null = dir
  ? (JSON.parse(readFileSync(join(dir, 'naming_vectors.json'), 'utf8')) as Vectors)
  : null;

describe('sha256 and base32', () => {
  it('match node:crypto and Buffer for arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Buffer.from(sha256(bytes)).toString('hex')).toBe(
          createHash('sha256').update(bytes).digest('hex'),
        );
      }),
    );
  });
  it('encodes RFC 4648 test vectors', () => {
    const enc = (s: string) => base32Encode(new TextEncoder().encode(s));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('MY======');
    expect(enc('fo')).toBe('MZXQ====');
    expect(enc('foobar')).toBe('MZXW6YTBOI======');
  });
});

describe.skipIf(!vectors)('naming vectors', () => {
  const v = vectors as Vectors;
  it('iptables service chains', () => {
    for (const c of v.iptablesServiceChains) {
      const names = servicePortChainNames(c.servicePortName, c.protocol);
      expect(Object.values(names)).toContain(c.chain);
      expect(c.chain.endsWith(servicePortChainHash(c.servicePortName, c.protocol))).toBe(true);
    }
  });
  it('iptables endpoint chains', () => {
    for (const c of v.iptablesEndpointChains) {
      expect(endpointChainName(c.servicePortName, c.protocol, c.endpoint)).toBe(c.chain);
    }
  });
  it('probabilities', () => {
    for (const [n, p] of Object.entries(v.iptablesProbability))
      expect(iptablesProbability(Number(n))).toBe(p);
  });
  it('nftables names', () => {
    for (const c of v.nftablesChainNameBase) {
      expect(nftServicePortNameBase(c.namespace, c.name, c.protocol, c.port)).toBe(c.expected);
    }
    for (const c of v.nftablesEndpointChainNameBase) {
      expect(nftEndpointNameBase(c.namespace, c.name, c.protocol, c.port, c.endpoint)).toBe(c.expected);
    }
  });
  it('nft comment truncation', () => {
    expect(truncateNftComment(v.nftablesCommentTruncation.input)).toBe(v.nftablesCommentTruncation.expected);
  });
});

describe('formatFixedGo', () => {
  it('rounds exact ties to even, as Go does', () => {
    expect(formatFixedGo(1 / 2048, 10)).toBe('0.0004882812');
    expect(formatFixedGo(0.5, 0)).toBe('0');
    expect(formatFixedGo(1.5, 0)).toBe('2');
    expect(formatFixedGo(1 / 3, 10)).toBe('0.3333333333');
  });
  it('agrees with toFixed away from ties', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        if (Number.isInteger((1 / n) * 2 ** 40)) return; // powers of two may tie
        expect(iptablesProbability(n)).toBe((1 / n).toFixed(10));
      }),
    );
  });
});

describe('chain names real nodes show for the classic tutorial Services', () => {
  it.each([
    ['default/hostnames:default', 'tcp', 'KUBE-SVC-ODX2UBAZM7RQWOIU'],
    ['kube-system/kube-dns:dns', 'udp', 'KUBE-SVC-TCOU7JCQXEZGVUNU'],
    ['kube-system/kube-dns:dns-tcp', 'tcp', 'KUBE-SVC-ERIFXISQEP7F7OF4'],
    ['kube-system/kube-dns:metrics', 'tcp', 'KUBE-SVC-JD5MR3NA4I4DYORP'],
    ['default/kubernetes:https', 'tcp', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
  ])('%s %s → %s', (spn, proto, chain) => {
    expect(servicePortChainNames(spn, proto).svc).toBe(chain);
  });
  it('KUBE-SEP for kube-dns:dns-tcp 10.32.0.3:53', () => {
    expect(endpointChainName('kube-system/kube-dns:dns-tcp', 'tcp', '10.32.0.3:53')).toBe(
      'KUBE-SEP-S4MK5EVI7CLHCCS6',
    );
  });
});
