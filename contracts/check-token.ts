/**
 * Why a token cannot be sent as "Authorization: Bearer <token>", in one sentence that never quotes it; undefined
 * when it can. RFC 9110 field values may not hold control characters, and RFC 6750's b64token is visible ASCII
 * without spaces; undici refuses such a header outright, so a run with it could judge nothing.
 */
export function describeUnsendableToken(token: string): string | undefined {
  const bad = firstBadCharacter(token, /^[\x21-\x7e]$/);
  if (!bad) return undefined;
  return (
    `The token has ${bad.what}, which cannot be sent in an Authorization header; a bearer token is ` +
    `visible ASCII characters only.${bad.hint ? ' A secret read from a file often ends in a newline: strip it, e.g. CONTRACT_TOKEN="$(tr -d \'\\r\\n\' < token-file)".' : ''}`
  );
}

/** Where a credential travels, for what it may hold: a header value, a query parameter, a cookie, Basic's user:password. */
export type CredentialCarrier = 'token' | 'header' | 'query' | 'cookie' | 'basic';

// RFC 9110 section 5.5 (field values: visible ASCII, spaces and tabs inside), RFC 6265 section 4.1.1
// (cookie-octet); a query value is percent-encoded, so only control characters are out; Basic encodes its value.
const ALLOWED: Readonly<Record<CredentialCarrier, RegExp>> = {
  // A bearer token is one word of visible ASCII (RFC 6750 section 2.1).
  token: /^[\x21-\x7e]$/,
  header: /^[\t\x20-\x7e]$/,
  query: /^\P{Cc}$/u,
  cookie: /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]$/,
  basic: /^\P{Cc}$/u,
};

/**
 * Why a --credential value cannot be sent where its scheme puts it, in one sentence that never quotes it;
 * undefined when it can.
 */
export function describeUnsendableCredential(name: string, carrier: CredentialCarrier, value: string): string | undefined {
  if (value === '') return `The credential for ${name} is empty; give its value as --credential ${name}=VALUE.`;
  if (carrier === 'basic' && !value.includes(':')) {
    return `The credential for the basic scheme ${name} has no colon; give it as --credential ${name}=user:password.`;
  }
  const bad = firstBadCharacter(value, ALLOWED[carrier]);
  if (bad) {
    const where =
      carrier === 'basic'
        ? 'a Basic credential'
        : carrier === 'token'
          ? 'a bearer token'
          : `a ${carrier === 'header' ? 'header' : carrier} value`;
    return `The credential for ${name} has ${bad.what}, which cannot be sent in ${where}.`;
  }
  if (carrier === 'header' && value.trim() !== value) {
    return `The credential for ${name} starts or ends with white space, which a header value drops; strip it.`;
  }
  return undefined;
}

/** The first character outside `allowed`, named and placed, never quoting the secret around it. */
function firstBadCharacter(value: string, allowed: RegExp): { what: string; hint: boolean } | undefined {
  const chars = [...value];
  const at = chars.findIndex((char) => !allowed.test(char));
  if (at === -1) return undefined;
  const char = chars[at] ?? '';
  const where =
    at === chars.length - 1 ? `at its end (character ${at + 1} of ${chars.length})` : `at character ${at + 1} of ${chars.length}`;
  return { what: `${nameOf(char)} ${where}`, hint: at === chars.length - 1 && (char === '\n' || char === '\r') };
}

function nameOf(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (char === '\n') return 'a line feed (\\n)';
  if (char === '\r') return 'a carriage return (\\r)';
  if (char === '\t') return 'a tab';
  if (char === ' ') return 'a space';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${hex})`;
  return `a non-ASCII character (${hex})`;
}
