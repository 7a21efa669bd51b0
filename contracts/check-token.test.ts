import { describe, expect, it } from 'vitest';
import { describeUnsendableToken } from './check-token.ts';

describe('describeUnsendableToken', () => {
  it('accepts visible ASCII tokens, JWTs included', () => {
    expect(describeUnsendableToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-_~+/=')).toBeUndefined();
  });

  it.each([
    ['abc\n', 'a line feed (\\n) at its end (character 4 of 4)'],
    ['xq zk', 'a space at character 3 of 5'],
    ['\tab', 'a tab at character 1 of 3'],
    ['ab\u007f', 'a control character (U+007F) at its end (character 3 of 3)'],
    ['ab€c', 'a non-ASCII character (U+20AC) at character 3 of 4'],
  ])('names what is wrong with %j and where, never the token', (token, what) => {
    const sentence = describeUnsendableToken(token) ?? '';
    expect(sentence).toContain(`The token has ${what}, which cannot be sent in an Authorization header`);
    expect(sentence).not.toContain(token);
  });
});
