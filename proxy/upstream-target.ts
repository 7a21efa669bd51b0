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
 * forwarded, and only ever appended to the upstream's base path, never resolved against it: "//other-host/x" or
 * an absolute-form "http://other-host/x" would otherwise name another host. Dot segments are resolved within the
 * path first, and a path they would take above the base path is refused.
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
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const resolved = resolveDotSegments(path);
  if (resolved === 'climbs') {
    return {
      refusal: `The request path "${path.slice(0, 80)}" climbs above the upstream's base path with ".." segments; send a path inside it.`,
    };
  }
  if (resolved === 'hidden') {
    return {
      refusal: `The request path "${path.slice(0, 80)}" has "." or ".." segments behind an encoded slash or a backslash, which upstreams resolve differently; send a path without them.`,
    };
  }
  return { path: resolved, query: queryAt === -1 ? '' : target.slice(queryAt) };
}

/**
 * Removes "." and ".." segments (RFC 3986 section 5.2.4), "%2e" spelt or not, so that the path appended to the
 * base path is the one the upstream will serve: an upstream that resolves "/api/../admin" itself would otherwise
 * serve a request from outside its base path. "climbs" when ".." goes above the root; "hidden" when dot segments
 * sit behind an encoded slash or a backslash (some servers read "%2f" and "\" as "/"), which cannot be resolved
 * the way every upstream would.
 */
export function resolveDotSegments(path: string): string | 'climbs' | 'hidden' {
  // A dot segment needs a "." or a "%2e": most paths have neither, and are read on every exchange.
  if (!path.includes('.') && !path.includes('%')) return path;
  const dotted = (view: string): boolean => view.split('/').some((segment) => segment === '.' || segment === '..');
  if (!dotted(path.replace(/%2e/gi, '.').replace(/%2f|%5c|\\/gi, '/'))) return path;
  if (/%2f|%5c|\\/i.test(path)) return 'hidden';
  const segments = path.split('/').slice(1);
  const kept: string[] = [];
  for (const [at, segment] of segments.entries()) {
    const plain = segment.replace(/%2e/gi, '.');
    const last = at === segments.length - 1;
    if (plain === '.' || plain === '..') {
      if (plain === '..' && kept.pop() === undefined) return 'climbs';
      // "/a/b/.." is "/a/": the directory stays a directory.
      if (last) kept.push('');
      continue;
    }
    kept.push(segment);
  }
  return `/${kept.join('/')}`;
}
