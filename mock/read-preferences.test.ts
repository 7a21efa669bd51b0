import { describe, expect, it } from 'vitest';
import { readPreferences } from './read-preferences.ts';

describe('readPreferences', () => {
  it('reads several preferences from one Prefer header, quoted or not', () => {
    expect(readPreferences('code=500, example="internalError"; x=1, delay=20', new URLSearchParams())).toEqual({
      code: '500',
      example: 'internalError',
      delay: '20',
    });
  });

  it('lets a __ query parameter win over the header', () => {
    expect(readPreferences('example=a', new URLSearchParams('__example=b&__fault=reset'))).toEqual({
      example: 'b',
      fault: 'reset',
    });
  });

  it('returns nothing when nothing is asked', () => {
    expect(readPreferences(undefined, new URLSearchParams('mfaType=x'))).toEqual({});
  });
});
