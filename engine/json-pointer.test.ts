import { describe, expect, it } from 'vitest';
import { toPointer } from './json-pointer.ts';

describe('toPointer', () => {
  it('escapes slashes and tildes as RFC 6901 asks', () => {
    expect(toPointer(['paths', '/mfa/enable', 'post', 'a~b', 200])).toBe('/paths/~1mfa~1enable/post/a~0b/200');
  });

  it('gives the empty pointer for the whole document', () => {
    expect(toPointer([])).toBe('');
  });
});
