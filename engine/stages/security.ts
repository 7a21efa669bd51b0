import type { SecuritySchemeContract } from '../contract.ts';
import { readCookies } from '../request.ts';
import { operationOf, type Refusal, type Stage } from './stage.ts';

type SchemeState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'missing' | 'malformed'; readonly problem: string; readonly pointer: string };

/**
 * Security: one alternative of the operation's requirements satisfied in full (OpenAPI 3.1 section 4.8.30: the
 * alternatives are ORed, the schemes of one are ANDed). Nothing at all of any alternative is missing-credentials;
 * a credential that is there but malformed is invalid-credentials.
 */
export const security: Stage = {
  name: 'security',
  judge(judging) {
    const operation = operationOf(judging);
    if (operation.security.length === 0) return undefined;
    let closest: { state: Exclude<SchemeState, { kind: 'ok' }>; ok: number } | undefined;
    let allMissing = true;
    for (const alternative of operation.security) {
      const states = alternative.map((scheme) => schemeState(scheme, judging.request));
      const failed = states.filter((state): state is Exclude<SchemeState, { kind: 'ok' }> => state.kind !== 'ok');
      const [first] = failed;
      if (!first) {
        judging.credentials = alternative.map((scheme) => scheme.name);
        return undefined;
      }
      if (states.some((state) => state.kind !== 'missing')) allMissing = false;
      const ok = states.length - failed.length;
      const malformed = failed.find((state) => state.kind === 'malformed') ?? first;
      // The alternative the request came closest to names the problem: most schemes satisfied, then a malformed
      // credential before a missing one.
      if (
        !closest ||
        ok > closest.ok ||
        (ok === closest.ok && malformed.kind === 'malformed' && closest.state.kind === 'missing')
      ) {
        closest = { state: malformed, ok };
      }
    }
    const wanted = operation.security.map((alternative) => alternative.map(describeScheme).join(' and ')).join(', or ');
    if (allMissing || !closest) {
      // One scheme asked for: its own words ("it has no Authorization header"); else every way to authenticate.
      const single = operation.security.length === 1 && operation.security[0]?.length === 1 ? closest : undefined;
      const problem = single ? single.state.problem : `it carries no credentials; it needs ${wanted}`;
      return refusal('missing-credentials', problem, closest?.state.pointer ?? '/headers/authorization');
    }
    return refusal('invalid-credentials', closest.state.problem, closest.state.pointer);
  },
};

function refusal(rule: 'missing-credentials' | 'invalid-credentials', problem: string, pointer: string): Refusal {
  return { stage: 'security', rule, problem, pointer };
}

/** How a scheme is named in sentences: 'an "Authorization: Bearer <token>" header', 'an X-API-Key header'. */
export function describeScheme(scheme: SecuritySchemeContract): string {
  switch (scheme.kind) {
    case 'bearer':
      return 'an "Authorization: Bearer <token>" header';
    case 'basic':
      return 'an "Authorization: Basic <credentials>" header';
    case 'apiKey':
      return scheme.in === 'header'
        ? `an API key in the ${scheme.parameter} header`
        : `an API key in the ${scheme.parameter} ${scheme.in === 'query' ? 'query parameter' : 'cookie'}`;
  }
}

// One scheme word, one credential word. RFC 6750's b64token is narrower, but servers take opaque tokens of any
// visible characters and the suite sends what it is given (check-token.ts refuses only what HTTP cannot carry).
const BEARER = /^bearer +\S+$/i;
const BASIC = /^basic +([A-Za-z0-9+/]+=*)$/i;
const FIRST_WORD = /^\S*/;

function schemeState(
  scheme: SecuritySchemeContract,
  request: { headers: Readonly<Record<string, string>>; query: URLSearchParams },
): SchemeState {
  if (scheme.kind === 'apiKey') {
    const pointer = `/${scheme.in === 'header' ? 'headers' : scheme.in === 'query' ? 'query' : 'cookies'}/${scheme.in === 'header' ? scheme.parameter.toLowerCase() : scheme.parameter}`;
    const value =
      scheme.in === 'header'
        ? request.headers[scheme.parameter.toLowerCase()]
        : scheme.in === 'query'
          ? (request.query.get(scheme.parameter) ?? undefined)
          : readCookies(request.headers.cookie).get(scheme.parameter);
    if (value === undefined)
      return { kind: 'missing', problem: `it has no ${describeScheme(scheme).replace(/^an /, '')}`, pointer };
    return value.trim() === ''
      ? { kind: 'malformed', problem: `its API key ${scheme.parameter} is empty`, pointer }
      : { kind: 'ok' };
  }
  const pointer = '/headers/authorization';
  const authorization = request.headers.authorization;
  if (authorization === undefined) return { kind: 'missing', problem: 'it has no Authorization header', pointer };
  const wanted = scheme.kind === 'bearer' ? 'Bearer' : 'Basic';
  const trimmed = authorization.trim();
  // The first word, as split(/\s+/)[0] would give it, without the array: every request the proxy judges asks.
  const word = FIRST_WORD.exec(trimmed)?.[0] ?? '';
  if (word.toLowerCase() !== wanted.toLowerCase()) {
    return { kind: 'malformed', problem: `its Authorization header uses the "${word}" scheme, not ${wanted}`, pointer };
  }
  if (scheme.kind === 'bearer') {
    return BEARER.test(trimmed)
      ? { kind: 'ok' }
      : { kind: 'malformed', problem: 'its Authorization header is not "Bearer" followed by one token', pointer };
  }
  const encoded = BASIC.exec(trimmed)?.[1];
  return encoded !== undefined && atobOrEmpty(encoded).includes(':')
    ? { kind: 'ok' }
    : { kind: 'malformed', problem: 'its Authorization header is not "Basic" followed by base64 of user:password', pointer };
}

function atobOrEmpty(encoded: string): string {
  try {
    return atob(encoded);
  } catch {
    return '';
  }
}

/** The WWW-Authenticate challenges of an operation's HTTP schemes (RFC 9110 section 11.6.1), for its 401s. */
export function challengesFor(operation: { readonly security: readonly (readonly SecuritySchemeContract[])[] }): string[] {
  const kinds = new Set(operation.security.flat().map((scheme) => scheme.kind));
  return [...(kinds.has('bearer') ? ['Bearer'] : []), ...(kinds.has('basic') ? ['Basic realm="api"'] : [])];
}
