import { describe, expect, it } from 'vitest';
import { readTarget, resolveDotSegments } from './upstream-target.ts';

describe('resolving dot segments in a request path', () => {
  it.each([
    ['/mfa/enable', '/mfa/enable'],
    ['/x/../mfa/enable', '/mfa/enable'],
    ['/x/%2e%2E/mfa/enable', '/mfa/enable'],
    ['/./mfa/./enable', '/mfa/enable'],
    ['/mfa/x/..', '/mfa/'],
    ['/a..b/.well-known', '/a..b/.well-known'],
  ])('resolves %s to %s', (path, resolved) => {
    expect(resolveDotSegments(path)).toBe(resolved);
  });

  it.each([['/..'], ['/../mfa'], ['/x/%2e%2e/%2E%2E/mfa'], ['/x/../../mfa']])('says %s climbs above the root', (path) => {
    expect(resolveDotSegments(path)).toBe('climbs');
  });

  it.each([['/x/..%2f..%2fmfa'], ['/x/%2e%2e%5cmfa/..'], ['/x\\..\\..\\mfa']])(
    'will not guess how an upstream reads dot segments behind an encoded slash or a backslash in %s',
    (path) => {
      expect(resolveDotSegments(path)).toBe('hidden');
    },
  );

  it('keeps the query apart and untouched, and refuses a path that leaves the base path in one sentence', () => {
    expect(readTarget('/x/../mfa/enable?next=/../admin')).toEqual({ path: '/mfa/enable', query: '?next=/../admin' });
    expect(readTarget('/api/../../mfa/enable')).toEqual({
      refusal:
        'The request path "/api/../../mfa/enable" climbs above the upstream\'s base path with ".." segments; send a path inside it.',
    });
  });
});
