// Putting credentials on a request, as each security scheme carries them: the suite's valid requests, the case
// builder (with stand-in values, to ask the pipeline what a case is) and the index page's snippets do it alike.
import type { SecurityContract, SecuritySchemeContract } from './contract.ts';

/** Where a request's credentials go: its headers (lower-case names) and its query. */
export interface CredentialTarget {
  readonly headers: Record<string, string>;
  readonly query: URLSearchParams;
}

/**
 * Adds the credentials of the first alternative whose every scheme has a value; returns the schemes used, or
 * undefined when no alternative can be satisfied with the values given.
 */
export function applyCredentials(
  security: SecurityContract,
  valueFor: (scheme: SecuritySchemeContract) => string | undefined,
  target: CredentialTarget,
): readonly SecuritySchemeContract[] | undefined {
  for (const alternative of security) {
    const values = alternative.map((scheme) => valueFor(scheme));
    if (values.some((value) => value === undefined)) continue;
    alternative.forEach((scheme, index) => {
      setCredential(scheme, values[index] ?? '', target);
    });
    return alternative;
  }
  return security.length === 0 ? [] : undefined;
}

/** Puts one scheme's credential where the scheme says: Authorization, an API-key header, query or cookie. */
export function setCredential(scheme: SecuritySchemeContract, value: string, target: CredentialTarget): void {
  switch (scheme.kind) {
    case 'bearer':
      target.headers.authorization = `Bearer ${value}`;
      return;
    case 'basic':
      // RFC 7617 section 2.1: user-id and password as UTF-8, then base64 (btoa alone takes Latin-1 only).
      target.headers.authorization = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(value)))}`;
      return;
    case 'apiKey':
      if (scheme.in === 'header') target.headers[scheme.parameter.toLowerCase()] = value;
      else if (scheme.in === 'query') target.query.set(scheme.parameter, value);
      else {
        const cookie = `${scheme.parameter}=${value}`;
        target.headers.cookie = target.headers.cookie ? `${target.headers.cookie}; ${cookie}` : cookie;
      }
  }
}
