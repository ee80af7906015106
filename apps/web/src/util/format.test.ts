import { describe, it, expect } from 'vitest';
import { formatAge, formatProbability, formatShare } from './format.js';

describe('format', () => {
  it('writes probabilities the way kube-proxy does', () => {
    expect(formatProbability(1 / 3)).toBe('0.33333');
    expect(formatProbability(0.5)).toBe('0.5');
    expect(formatProbability(1)).toBe('1');
    expect(formatProbability(0.3333333333)).toBe('0.33333');
  });
  it('writes shares in percent', () => {
    expect(formatShare(1 / 3)).toBe('33.3 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.5)).toBe('50 %');
  });
  it('writes ages', () => {
    expect(formatAge(5)).toBe('5 s');
    expect(formatAge(120)).toBe('2 min');
    expect(formatAge(7200)).toBe('2 h');
  });
});
