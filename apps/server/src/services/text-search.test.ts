import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextSearch } from './text-search.js';

const entries = [
  'default/hostnames 10.96.0.20 default 80/tcp',
  'kube-system/kube-dns 10.96.0.10 dns 53/udp dns-tcp 53/tcp metrics 9153/tcp',
  'default/nginx 10.96.0.30 http 80/tcp',
  'shop/svc-12 10.96.0.112 http 80/tcp',
  'shop/svc-120 10.96.0.220 http 8080/tcp',
];

/** What a search must return: every entry in range holding every term. */
const naive = (list: readonly string[], terms: readonly string[], from: number, to: number): number[] =>
  list.flatMap((e, i) => (i >= from && i < to && terms.every((t) => e.includes(t)) ? [i] : []));

describe('TextSearch', () => {
  it('finds entries holding every term, in order, each once', () => {
    const search = new TextSearch(entries);
    expect(search.matching(['svc-12'])).toEqual([3, 4]);
    expect(search.matching(['svc-12', '8080'])).toEqual([4]);
    expect(search.matching(['53/udp'])).toEqual([1]);
    // "dns" occurs several times in one entry: still one hit.
    expect(search.matching(['dns'])).toEqual([1]);
    expect(search.matching(['80/tcp', 'default'])).toEqual([0, 2]);
    expect(search.matching(['nothing-like-this'])).toEqual([]);
  });

  it('never matches across two entries', () => {
    const search = new TextSearch(['ab', 'cd']);
    expect(search.matching(['bc'])).toEqual([]);
    expect(search.matching(['b'])).toEqual([0]);
  });

  it('limits the search to a range and lists the range when there are no terms', () => {
    const search = new TextSearch(entries);
    expect(search.matching(['http'], 3, 5)).toEqual([3, 4]);
    expect(search.matching(['http'], 0, 3)).toEqual([2]);
    expect(search.matching([], 1, 3)).toEqual([1, 2]);
    expect(search.matching(['tcp'], 2, 2)).toEqual([]);
  });

  it('agrees with a plain filter on arbitrary entries, terms and ranges', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '/', ' ', '-'), maxLength: 12 });
    const term = fc.string({
      unit: fc.constantFrom('a', 'b', 'c', '1', '/', '-'),
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 30 }),
        fc.array(term, { maxLength: 3 }),
        fc.nat(),
        fc.nat(),
        (list, terms, a, b) => {
          const from = list.length === 0 ? 0 : a % (list.length + 1);
          const to = from + (list.length === 0 ? 0 : b % (list.length - from + 1));
          expect(new TextSearch(list).matching(terms, from, to)).toEqual(naive(list, terms, from, to));
        },
      ),
    );
  });
});
