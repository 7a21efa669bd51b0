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

  it('keeps commas, semicolons and escaped quotes inside a quoted value', () => {
    expect(readPreferences('example="a, b; c \\"d\\"", delay=5', new URLSearchParams())).toEqual({
      example: 'a, b; c "d"',
      delay: '5',
    });
  });

  it('names every __ query parameter it does not read, and ignores other parameters', () => {
    expect(readPreferences(undefined, new URLSearchParams('__exmaple=x&mfaType=y&__code=500&__exmaple=z'))).toEqual({
      code: '500',
      unknown: ['__exmaple'],
    });
  });
});
