import { describe, expect, it } from 'vitest';
import { containsSubset } from './contains-subset.ts';

describe('containsSubset', () => {
  it('matches a body that holds every property of the subset, whatever else it holds', () => {
    expect(containsSubset({ a: 'x', b: { c: 1, d: 2 } }, { b: { c: 1 } })).toBe(true);
  });

  it('refuses a body whose value differs or is missing', () => {
    expect(containsSubset({ a: 'x' }, { a: 'y' })).toBe(false);
    expect(containsSubset({}, { a: 'x' })).toBe(false);
    expect(containsSubset('a', { a: 'x' })).toBe(false);
  });

  it('compares arrays whole rather than as subsets', () => {
    expect(containsSubset({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(containsSubset({ a: [1, 2, 3] }, { a: [1, 2] })).toBe(false);
    expect(containsSubset({ a: [{ x: 1, y: 2 }] }, { a: [{ y: 2, x: 1 }] })).toBe(true);
    expect(containsSubset({ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1 }] })).toBe(false);
    expect(containsSubset({ a: null }, { a: {} })).toBe(false);
  });
});
