import { describe, it, expect } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { invalidationsFor, parseChangeEvent } from './invalidation.js';
import { keys } from './queries.js';

function seeded(): QueryClient {
  const c = new QueryClient();
  const f = { namespace: '', q: '', type: '' };
  for (const k of [
    keys.status,
    keys.nodes,
    keys.node('n1'),
    keys.serviceList(f),
    keys.service('default', 'web'),
    keys.service('default', 'db'),
    keys.serviceGraph('default', 'web', 'n1', 'actual'),
    keys.serviceGraph('default', 'db', 'n2', 'actual'),
    keys.dumpParsed('n1', 'iptables'),
    keys.dumpParsed('n2', 'iptables'),
    keys.diagnostics,
  ])
    c.setQueryData(k, {});
  return c;
}

async function invalidated(event: Parameters<typeof invalidationsFor>[0]): Promise<string[]> {
  const c = seeded();
  for (const f of invalidationsFor(event)) await c.invalidateQueries({ ...f, refetchType: 'none' });
  return c
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => JSON.stringify(q.queryKey))
    .sort();
}

describe('invalidationsFor', () => {
  it('new diagnostics touch the diagnostics and the open Services (their drift findings)', async () => {
    expect(await invalidated({ type: 'diagnostics' })).toEqual(
      [keys.diagnostics, keys.service('default', 'db'), keys.service('default', 'web')]
        .map((k) => JSON.stringify(k))
        .sort(),
    );
  });

  it('a Service change touches that Service and the lists only', async () => {
    const k = await invalidated({ type: 'services', namespace: 'default', name: 'web' });
    expect(k).toEqual(
      [
        keys.serviceList({ namespace: '', q: '', type: '' }),
        keys.service('default', 'web'),
        keys.serviceGraph('default', 'web', 'n1', 'actual'),
      ]
        .map((x) => JSON.stringify(x))
        .sort(),
    );
  });
  it('a dump change touches that node’s dumps and the graphs drawn for that node', async () => {
    const k = await invalidated({ type: 'dump', node: 'n2', kind: 'iptables' });
    expect(k).toContain(JSON.stringify(keys.dumpParsed('n2', 'iptables')));
    expect(k).toContain(JSON.stringify(keys.serviceGraph('default', 'db', 'n2', 'actual')));
    expect(k).not.toContain(JSON.stringify(keys.serviceGraph('default', 'web', 'n1', 'actual')));
    expect(k).not.toContain(JSON.stringify(keys.dumpParsed('n1', 'iptables')));
  });
});

describe('parseChangeEvent', () => {
  it('accepts the documented events and rejects the rest', () => {
    expect(parseChangeEvent('services', '{"namespace":"a","name":"b"}')).toEqual({
      type: 'services',
      namespace: 'a',
      name: 'b',
    });
    expect(parseChangeEvent('dump', '{"node":"n1","kind":"nft"}')).toEqual({
      type: 'dump',
      node: 'n1',
      kind: 'nft',
    });
    expect(parseChangeEvent('status', '')).toEqual({ type: 'status' });
    expect(parseChangeEvent('dump', '{"node":"n1","kind":"bogus"}')).toBeNull();
    expect(parseChangeEvent('services', 'not json')).toBeNull();
    expect(parseChangeEvent('other', '{}')).toBeNull();
  });
});
