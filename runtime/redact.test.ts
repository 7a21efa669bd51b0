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

  it('hides the whole userinfo of a URL, and its password as written and decoded', () => {
    expect(redact.text('http://ci:pa%40ss-w0rd-long@host:1/x said pa@ss-w0rd-long')).toBe(
      'http://[redacted]@host:1/x said [redacted]',
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

// Each row: what the secrets are, a text a server or the kit could produce, and what must be shown instead.
const QUOTED = 'tok-"QUOTE\\d-12345678';
const USER = 'ghp_USERNAME0123456789abcdef';
describe.each([
  [
    'a token JSON-escaped, as a JSON body echoes it',
    { token: QUOTED },
    `{"error":"got ${JSON.stringify(QUOTED).slice(1, -1)}"}`,
    '{"error":"got $CONTRACT_TOKEN"}',
  ],
  [
    'a token JSON-escaped twice, as a message quoting such a body does',
    { token: QUOTED },
    JSON.stringify(JSON.stringify(QUOTED)),
    '"\\"$CONTRACT_TOKEN\\""',
  ],
  ['a fragment of a JSON-escaped token', { token: QUOTED }, `cut: ${JSON.stringify(QUOTED).slice(1, 12)}…`, 'cut: [redacted]…'],
  [
    'a token percent-encoded, as a Location header echoes it',
    { token: QUOTED },
    `/next?t=${encodeURIComponent(QUOTED)}`,
    '/next?t=$CONTRACT_TOKEN',
  ],
  [
    'a token HTML-escaped, as an HTML page echoes it',
    { token: QUOTED },
    '<p>tok-&quot;QUOTE\\d-12345678</p>',
    '<p>$CONTRACT_TOKEN</p>',
  ],
  [
    'a user name in the base URL',
    { urls: [`http://${USER}@host:1`] },
    `http://${USER}@host:1/mfa and ${USER}`,
    'http://[redacted]@host:1/mfa and [redacted]',
  ],
  [
    'a short user name in the base URL',
    { urls: ['http://ci@host:1'] },
    'GET http://ci@host:1/mfa',
    'GET http://[redacted]@host:1/mfa',
  ],
  ['user name and password in the base URL', { urls: ['http://u:p@host'] }, 'http://u:p@host/', 'http://[redacted]@host/'],
  [
    'a user name the URL parser encodes',
    { urls: ['http://a b@host'] },
    'base http://a b@host and http://a%20b@host',
    'base http://[redacted]@host and http://[redacted]@host',
  ],
] as const)('redacts %s', (_what, secrets, input, shown) => {
  it('in text', () => {
    expect(createRedactor(secrets).text(input)).toBe(shown);
  });
  it('in every string of a value, before a cut', () => {
    const redactor = createRedactor(secrets);
    expect(redactor.value({ list: [input] })).toEqual({ list: [shown] });
    expect(redactor.excerpt(input, 200)).toBe(shown);
  });
});

describe('redacting the names of a value', () => {
  const token = 'tok-HeaderName-0123456789';
  const redactor = createRedactor({ token });

  it.each([
    ['as sent', `x-echo-${token}`, 'x-echo-$CONTRACT_TOKEN'],
    ['lowercased, as HTTP gives header names', `x-echo-${token.toLowerCase()}`, 'x-echo-$CONTRACT_TOKEN'],
    ['in part', `x-${token.slice(2, 14).toLowerCase()}`, 'x-[redacted]'],
    ['not at all, keeping its case', 'Content-Type', 'Content-Type'],
  ])('replaces a token in a name %s', (_what, name, shown) => {
    expect(Object.keys(redactor.value({ [name]: 'v' }))).toEqual([shown]);
  });

  it('keeps two names that redact alike apart', () => {
    expect(redactor.value({ [`a-${token}`]: 1, [`a-${token.toLowerCase()}`]: 2 })).toEqual({
      'a-$CONTRACT_TOKEN': 1,
      'a-$CONTRACT_TOKEN (2)': 2,
    });
  });

  it('keeps a name "__proto__" as a name', () => {
    const copy = redactor.value(JSON.parse('{"__proto__": {"x": 1}}') as object);
    expect(Object.keys(copy)).toEqual(['__proto__']);
  });
});

describe('fragments beyond ASCII', () => {
  it('finds a fragment of a secret that starts with a character outside ASCII', () => {
    const secret = 'пароль-очень-длинный';
    const redact = createRedactor({ others: [secret] });
    expect(redact.text(`leaked ${secret.slice(2, 12)} here`)).toBe('leaked [redacted] here');
  });
});
