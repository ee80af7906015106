import { describe, it, expect } from 'vitest';
import { ObjectStore } from './store.js';

const svc = (name: string, namespace = 'default', extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace },
  spec: { clusterIP: '10.0.0.1' },
  ...extra,
});

describe('ObjectStore (test double store)', () => {
  it('gives every change a new, increasing resourceVersion', () => {
    const store = new ObjectStore(100, () => new Date('2026-01-01T00:00:00Z'));
    const a = store.upsert('services', svc('a'));
    const b = store.upsert('services', svc('a', 'default', { spec: { clusterIP: '10.0.0.2' } }));
    const c = store.remove('services', 'default', 'a');
    expect([a.type, b.type, c?.type]).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(a.rv < b.rv && b.rv < (c?.rv ?? 0)).toBe(true);
    expect(b.object.metadata.uid).toBe(a.object.metadata.uid);
    expect(a.object.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(store.remove('services', 'default', 'a')).toBeUndefined();
  });

  it('does not share objects with callers', () => {
    const store = new ObjectStore(100);
    const input = svc('a');
    store.upsert('services', input);
    input.metadata.name = 'changed';
    const listed = store.list('services');
    expect(listed.map((o) => o.metadata.name)).toEqual(['a']);
    for (const o of listed) o.metadata.name = 'mutated';
    expect(store.get('services', 'default', 'a')?.metadata.name).toBe('a');
  });

  it('lists by namespace and sorts by namespace then name', () => {
    const store = new ObjectStore(100);
    store.upsert('services', svc('b', 'x'));
    store.upsert('services', svc('a', 'y'));
    store.upsert('services', svc('a', 'x'));
    store.upsert('nodes', { metadata: { name: 'n1' } });
    expect(store.list('services').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'x/a',
      'x/b',
      'y/a',
    ]);
    expect(store.list('services', 'y')).toHaveLength(1);
    expect(store.get('nodes', undefined, 'n1')?.metadata.name).toBe('n1');
    expect(store.get('nodes', '', 'n1')?.metadata.name).toBe('n1');
  });

  it('resumes from a version inside the window and answers Gone outside it', () => {
    const store = new ObjectStore(2);
    const start = store.currentRv();
    store.upsert('services', svc('a'));
    const mid = store.currentRv();
    store.upsert('services', svc('b'));
    store.upsert('services', svc('c'));
    const resumed = store.eventsSince('services', mid, undefined);
    expect(resumed.ok && resumed.events.map((e) => e.object.metadata.name)).toEqual(['b', 'c']);
    expect(store.eventsSince('services', start, undefined).ok).toBe(false);
  });

  it('expireHistory makes every version handed out so far too old, but not the next list', () => {
    const store = new ObjectStore(100);
    store.upsert('services', svc('a'));
    const before = store.currentRv();
    store.expireHistory();
    expect(store.eventsSince('services', before, undefined).ok).toBe(false);
    expect(store.eventsSince('services', store.currentRv(), undefined)).toEqual({ ok: true, events: [] });
  });
});
