import { describe, expect, it } from 'vitest';
import { redactToken } from './redact-token.ts';

describe('redactToken', () => {
  it('replaces the token wherever it appears, keys and nesting included', () => {
    expect(redactToken({ a: 'x secret-1 y', b: ['secret-1'], c: { d: 1 } }, 'secret-1')).toEqual({
      a: 'x $CONTRACT_TOKEN y',
      b: ['$CONTRACT_TOKEN'],
      c: { d: 1 },
    });
  });

  it('leaves text alone for a token too short to be a secret', () => {
    expect(redactToken({ a: 'true' }, 't')).toEqual({ a: 'true' });
  });
});
