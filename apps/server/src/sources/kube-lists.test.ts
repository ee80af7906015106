import { describe, it, expect } from 'vitest';
import { V1Pod, V1ListMeta } from '@kubernetes/client-node';
import { toPlainJson } from './kube-lists.js';

describe('toPlainJson', () => {
  it('turns client-node models back into API JSON', () => {
    const pod = new V1Pod();
    pod.metadata = { name: 'p', creationTimestamp: new Date('2026-03-01T10:00:00Z'), labels: { app: 'a' } };
    pod.spec = { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], nodeName: undefined };
    expect(toPlainJson(pod)).toEqual({
      metadata: { name: 'p', creationTimestamp: '2026-03-01T10:00:00Z', labels: { app: 'a' } },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    });
    expect(Object.keys(toPlainJson(pod) as object)).toEqual(['metadata', 'spec']);
  });

  it('keeps sub-second times and restores reserved-word field names', () => {
    const meta = new V1ListMeta();
    meta._continue = 'token';
    expect(toPlainJson(meta)).toEqual({ continue: 'token' });
    expect(toPlainJson({ t: new Date('2026-03-01T10:00:00.250Z') })).toEqual({
      t: '2026-03-01T10:00:00.250Z',
    });
    expect(toPlainJson([1, null, 'x'])).toEqual([1, null, 'x']);
  });
});
