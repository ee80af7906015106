import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIp } from '../common/ip.js';
import { findElement } from './set-index.js';
import { keyMatches, type RuntimeValue } from './trace-values.js';
import type { NftSet } from './types.js';

const ip = fc
  .tuple(fc.constantFrom(10, 172), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
  .map(([a, b, c]) => `${a}.0.${b}.${c}`);
const part = fc.oneof(
  ip,
  ip.map((x) => `${x.split('.').slice(0, 3).join('.')}.0/30`),
  ip.map((x) => `${x}-${x.replace(/\d+$/, '9')}`),
);
const proto = fc.constantFrom('tcp', 'udp', '6', '17');
const port = fc.oneof(fc.constantFrom('80', '443', '0x50'), fc.constant('80-90'));

describe('findElement', () => {
  it('answers like a scan over every element', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(part, proto, port), { maxLength: 30 }),
        ip,
        fc.constantFrom('tcp', 'udp'),
        fc.constantFrom(80, 85, 443),
        (elements, addr, p, dport) => {
          const set: NftSet = {
            kind: 'map',
            name: 'm',
            keyType: ['ipv4_addr', 'inet_proto', 'inet_service'],
            dataType: 'verdict',
            flags: ['interval'],
            timeout: null,
            comment: null,
            elements: elements.map((key) => ({
              key,
              value: { verdict: 'accept', target: null },
              comment: null,
              timeout: null,
              line: null,
            })),
            line: null,
            handle: null,
          };
          const a = parseIp(addr);
          if (a === null) return;
          const values: RuntimeValue[] = [
            { t: 'ip', v: a },
            { t: 'proto', v: p },
            { t: 'num', v: dport },
          ];
          const scan = set.elements.some((e) => keyMatches(values, e.key) === true);
          expect(findElement(set, values).hit !== null).toBe(scan);
        },
      ),
      { numRuns: 500 },
    );
  });
});
