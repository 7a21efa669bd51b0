/** Headers a browser app on another origin may read: provenance, 405's Allow, 401's challenge. */
const EXPOSED = 'x-mock-source, allow, www-authenticate';

/** The CORS headers every answer carries (Fetch standard, "CORS protocol"), for a request from `origin`. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    // Echo the origin rather than "*" so that apps sending credentials (cookies) work too.
    'access-control-allow-origin': origin ?? '*',
    ...(origin ? { 'access-control-allow-credentials': 'true', vary: 'Origin' } : {}),
    'access-control-expose-headers': EXPOSED,
  };
}

/** True for a CORS preflight: OPTIONS with an Origin and the method the browser means to send. */
export function isPreflight(method: string, headers: Readonly<Record<string, string>>): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

/** A preflight's answer headers: the documented methods at the path, and whatever headers the page asked to send. */
export function preflightHeaders(headers: Readonly<Record<string, string>>, methods: readonly string[]): Record<string, string> {
  const asked = headers['access-control-request-method'] ?? '';
  return {
    ...corsHeaders(headers.origin),
    'access-control-allow-methods': (methods.length > 0 ? methods : [asked]).join(', '),
    'access-control-allow-headers': headers['access-control-request-headers'] ?? 'authorization, content-type, prefer',
    'access-control-max-age': '600',
  };
}
