import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.ts';

const TOKEN = 'tok-REDACT-0123456789abcdef';

describe('createRedactor', () => {
  const redact = createRedactor({ token: TOKEN, urls: ['http://ci:pa%40ss-w0rd-long@host:1/x'] });

  it('replaces the token wherever it stands, as the shell variable that reproduces the request', () => {
    expect(redact.text(`Authorization: Bearer ${TOKEN}, again ${TOKEN}.`)).toBe(
      'Authorization: Bearer $CONTRACT_TOKEN, again $CONTRACT_TOKEN.',
    );
  });

  it('replaces any fragment of 8 characters or more, and leaves shorter ones', () => {
    expect(redact.text(`prefix ${TOKEN.slice(0, 12)}… and ${TOKEN.slice(3, 11)}`)).toBe('prefix [redacted]… and [redacted]');
    expect(redact.text(TOKEN.slice(0, 7))).toBe(TOKEN.slice(0, 7));
  });

  it('redacts before it cuts, so no prefix of the token survives the cut', () => {
    const text = `${'x'.repeat(70)} Bearer ${TOKEN}`;
    const cut = redact.excerpt(text, 90);
    expect(cut).not.toContain(TOKEN.slice(0, 8));
    expect(cut).toBe(`${'x'.repeat(70)} Bearer $CONTRACT_TO…`);
  });

  it('hides the password of a URL, as written and decoded', () => {
    expect(redact.text('http://ci:pa%40ss-w0rd-long@host:1/x said pa@ss-w0rd-long')).toBe(
      'http://ci:[redacted]@host:1/x said [redacted]',
    );
  });

  it('replaces a short token only where it stands alone', () => {
    const short = createRedactor({ token: 't' });
    expect(short.text('media type: Bearer t, (t)')).toBe('media type: Bearer $CONTRACT_TOKEN, ($CONTRACT_TOKEN)');
  });

  it('escapes control characters and bidirectional overrides, keeping tabs and line feeds', () => {
    expect(redact.text('\u001b[2Jred\u0007\r\u202eevil\tok\n')).toBe('\\x1b[2Jred\\x07\\x0d\\u202eevil\tok\n');
  });

  it('redacts every string of a JSON-like value and keeps its shape', () => {
    expect(redact.value({ a: [`x ${TOKEN}`], b: { c: 1, d: null } })).toEqual({ a: ['x $CONTRACT_TOKEN'], b: { c: 1, d: null } });
  });
});
