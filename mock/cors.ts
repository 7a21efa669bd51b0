import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers a browser app on another origin may read: provenance, 405's Allow, 401's challenge. */
const EXPOSED = 'x-mock-source, allow, www-authenticate';

/** Adds the CORS headers every answer carries (Fetch standard, "CORS protocol"). */
export function addCorsHeaders(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  // Echo the origin rather than "*" so that apps sending credentials (cookies) work too.
  response.setHeader('access-control-allow-origin', origin ?? '*');
  if (origin) {
    response.setHeader('access-control-allow-credentials', 'true');
    response.setHeader('vary', 'Origin');
  }
  response.setHeader('access-control-expose-headers', EXPOSED);
}

/** True for a CORS preflight: OPTIONS with an Origin and the method the browser means to send. */
export function isPreflight(request: IncomingMessage): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}

/** Answers a preflight: the documented methods at the path, and whatever headers the page asked to send. */
export function answerPreflight(request: IncomingMessage, response: ServerResponse, methods: readonly string[]): void {
  addCorsHeaders(request, response);
  const asked = request.headers['access-control-request-method'] ?? '';
  response.setHeader('access-control-allow-methods', (methods.length > 0 ? methods : [asked]).join(', '));
  response.setHeader(
    'access-control-allow-headers',
    request.headers['access-control-request-headers'] ?? 'authorization, content-type, prefer',
  );
  response.setHeader('access-control-max-age', '600');
  response.writeHead(204).end();
}
