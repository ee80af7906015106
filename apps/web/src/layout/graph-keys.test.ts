import { describe, it, expect } from 'vitest';
import { layoutGraph } from './layered-layout.js';
import { neighbourFor } from './graph-keys.js';

describe('neighbourFor', () => {
  const l = layoutGraph(
    [
      { id: 'svc', kind: 'service' },
      { id: 'sep1', kind: 'endpoint-chain' },
      { id: 'sep2', kind: 'endpoint-chain' },
    ],
    [
      { from: 'svc', to: 'sep1', probability: 0.5 },
      { from: 'svc', to: 'sep2', probability: 1 },
    ],
  );
  it('follows edges with left and right, the layer with up and down', () => {
    expect(neighbourFor(l, 'svc', 'ArrowRight')).toBe('sep1');
    expect(neighbourFor(l, 'sep2', 'ArrowLeft')).toBe('svc');
    expect(neighbourFor(l, 'sep1', 'ArrowDown')).toBe('sep2');
    expect(neighbourFor(l, 'sep1', 'ArrowUp')).toBeNull();
    expect(neighbourFor(l, 'svc', 'Enter')).toBeNull();
  });
});
