import { STATUS_CODES } from 'node:http';

/** Headers as Node and undici give them (repeated ones as arrays), flattened to one string each (RFC 9110 section 5.3). */
export function flattenHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  // Object.keys, not Object.entries: no [name, value] pair to allocate per header, on every exchange the proxy sees.
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) flat[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return flat;
}

/** RFC 9110 section 7.6.1: headers that describe one connection, never forwarded by a proxy. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'expect',
]);

/** The headers a proxy passes on: all but the hop-by-hop ones and those the Connection header names. */
export function endToEndHeaders<T extends string | readonly string[] | undefined>(
  headers: Readonly<Record<string, T>>,
): Record<string, Exclude<T, undefined>> {
  const named = connectionOptions(headers.connection);
  const kept: Record<string, Exclude<T, undefined>> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named?.has(name)) kept[name] = value as Exclude<T, undefined>;
  }
  return kept;
}

const ONLY_CLOSE: ReadonlySet<string> = new Set(['close']);

/**
 * The header names a Connection header lists (RFC 9110 section 7.6.1), in lower case. The proxy asks twice per
 * exchange, and nearly every request and answer says just keep-alive (hop-by-hop already) or close: no set to build.
 */
function connectionOptions(connection: string | readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (connection === undefined) return undefined;
  const listed = String(connection).toLowerCase();
  if (listed === 'keep-alive') return undefined;
  if (listed === 'close') return ONLY_CLOSE;
  return new Set(listed.split(',').map((name) => name.trim()));
}

/**
 * A whole HTTP/1.1 answer as text, for a socket that no ServerResponse owns (Node's clientError and connect
 * events): the status line, the headers, a Content-Length, `connection: close`, and the body.
 */
export function rawHttpAnswer(status: number, headers: Readonly<Record<string, string>>, body: string): string {
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
