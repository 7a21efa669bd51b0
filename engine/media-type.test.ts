import { describe, expect, it } from 'vitest';
import { acceptsMediaType, isJsonMediaType, isMediaType, mediaTypeOf } from './media-type.ts';

describe('media types', () => {
  it('drops parameters and letter case', () => {
    expect(mediaTypeOf(' Application/JSON ; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBeUndefined();
  });

  it('counts application/json and +json types as JSON, and nothing else', () => {
    for (const type of ['application/json', 'application/problem+json', 'APPLICATION/JSON; charset=utf-8'])
      expect(isJsonMediaType(type), type).toBe(true);
    for (const type of ['text/json', 'application/json-seq', 'application/jsonx', 'text/plain', '', undefined])
      expect(isJsonMediaType(type), String(type)).toBe(false);
  });

  it('tells media types and Accept ranges from what does not parse', () => {
    expect(isMediaType('application/json; charset=utf-8')).toBe(true);
    expect(isMediaType('!')).toBe(false);
    expect(isMediaType('*/*')).toBe(true);
    expect(isMediaType('text/*;q=0.5')).toBe(true);
    expect(isMediaType('json')).toBe(false);
  });

  it.each([
    [undefined, true],
    ['application/json', true],
    ['*/*', true],
    ['application/*;q=0.2', true],
    ['text/html, application/xhtml+xml', false],
    ['application/json;q=0', false],
    ['text/plain, APPLICATION/JSON', true],
    ['!!!', true],
    // q=0 means "not acceptable" (RFC 9110 section 12.4.2), and the most specific matching range decides.
    ['application/json;q=0, */*', false],
    ['*/*, application/json;q=0', false],
    ['application/*;q=0, */*', false],
    ['application/json, application/*;q=0', true],
    ['application/json;q=0.5, */*;q=0', true],
    ['*/*;q=0', false],
    ['application/json;q=0.000', false],
    ['application/json;q=0.001', true],
    ['APPLICATION/JSON;Q=0, */*', false],
    ['application/json;charset=utf-8;q=0, */*', false],
    ['application/json;charset=latin1;q=0, */*', true],
    ['application/json;charset="UTF-8";q=0, */*', false],
    ['application/json;charset=latin1', false],
    ['application/json;q=0;ext=1, */*', false],
    ['application/json;q=x', true],
  ])('Accept %s admits application/json: %s', (accept, admitted) => {
    expect(acceptsMediaType(accept, 'application/json; charset=utf-8')).toBe(admitted);
  });
});
