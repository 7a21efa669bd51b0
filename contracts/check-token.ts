/**
 * Why a token cannot be sent as "Authorization: Bearer <token>", in one sentence that never quotes it; undefined
 * when it can. RFC 9110 field values may not hold control characters, and RFC 6750's b64token is visible ASCII
 * without spaces; undici refuses such a header outright, so a run with it could judge nothing.
 */
export function describeUnsendableToken(token: string): string | undefined {
  const chars = [...token];
  const at = chars.findIndex((char) => !/^[\x21-\x7e]$/.test(char));
  if (at === -1) return undefined;
  const char = chars[at] ?? '';
  const where =
    at === chars.length - 1 ? `at its end (character ${at + 1} of ${chars.length})` : `at character ${at + 1} of ${chars.length}`;
  const trailingNewline = at === chars.length - 1 && (char === '\n' || char === '\r');
  return (
    `The token has ${nameOf(char)} ${where}, which cannot be sent in an Authorization header; a bearer token is ` +
    `visible ASCII characters only.${trailingNewline ? ' A secret read from a file often ends in a newline: strip it, e.g. CONTRACT_TOKEN="$(tr -d \'\\r\\n\' < token-file)".' : ''}`
  );
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
