/** Where the proxy forwards: an origin and an optional base path, nothing a request can change. */
export interface Upstream {
  /** scheme://host[:port], e.g. http://127.0.0.1:3000. */
  readonly origin: string;
  /** "" or a path without a trailing slash, e.g. "/api". */
  readonly basePath: string;
  /** How requests will reach it, for the banner: origin + base path, password redacted by the caller. */
  readonly shown: string;
}

/** Reads --upstream: http or https, an origin and an optional base path; throws a RangeError sentence otherwise. */
export function parseUpstream(raw: string): Upstream {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`The upstream "${raw}" is not an absolute URL; expected e.g. http://127.0.0.1:3000.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`The upstream must use http or https; got "${url.protocol}".`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new RangeError(
      'The upstream may not carry credentials (user:password@); each request keeps its own Authorization header.',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new RangeError('The upstream is an origin and an optional base path; it may not have a query or a fragment.');
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, basePath, shown: `${url.origin}${basePath}` };
}

/** A request target the proxy forwards (origin-form), or why it refuses to. */
export type TargetReading = { readonly path: string; readonly query: string } | { readonly refusal: string };

/**
 * Reads a request target. Only origin-form targets (RFC 9112 section 3.2.1) that start with a single "/" are
 * forwarded, and only ever appended to the upstream's base path, never resolved: "//other-host/x" or an
 * absolute-form "http://other-host/x" would otherwise name another host.
 */
export function readTarget(target: string): TargetReading {
  if (!target.startsWith('/')) {
    return {
      refusal: /^[a-z][a-z0-9+.-]*:\/\//i.test(target)
        ? 'The proxy forwards only to its upstream; an absolute-form request target names another host.'
        : `The request target must be a path starting with "/"; got "${target.slice(0, 80)}".`,
    };
  }
  if (target.startsWith('//')) {
    return {
      refusal: 'The request path starts with "//", which would name another host; send a path with a single leading "/".',
    };
  }
  const queryAt = target.indexOf('?');
  return queryAt === -1 ? { path: target, query: '' } : { path: target.slice(0, queryAt), query: target.slice(queryAt) };
}
