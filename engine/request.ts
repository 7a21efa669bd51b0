// A request as every part of the kit hands it to the engine: the mock's socket, the MSW handlers, the proxy and
// the suite's reference server each read their transport into this shape, and nothing else.

/** The request body as the transport read it, up to the policy's limit. */
export type BodyReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'too-large'; readonly limit: number }
  | { readonly kind: 'read'; readonly text: string; readonly size: number };

export interface EngineRequest {
  readonly method: string;
  /** The path as it came, without the query, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case, repeated headers joined with ", " (RFC 9110 section 5.3). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: BodyReading;
}

/** The cookies of a Cookie header (RFC 6265 section 4.2.1), by name; the first of two with one name counts. */
export function readCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 1) continue;
    const name = pair.slice(0, equals).trim();
    if (!cookies.has(name))
      cookies.set(
        name,
        pair
          .slice(equals + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return cookies;
}

/** Percent-decodes a path segment or value; a malformed escape is kept as it came (it then fails its schema). */
export function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
