import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Dispatcher, request as forward } from 'undici';
import { errorEnvelopeJson, type GapPolicy, isJsonMediaType } from '../openapi/index.ts';
import { flattenHeaders } from '../runtime/http-headers.ts';
import { readCapped } from '../runtime/read-capped.ts';
import { describeFinding } from './describe-finding.ts';
import type { ExchangeValidator, ObservedRequest } from './validate-exchange.ts';

/** RFC 9110 section 7.6.1: headers that describe one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'expect',
]);

export interface ValidationProxyOptions {
  readonly upstream: string;
  readonly validate: ExchangeValidator;
  /** Its error envelope shapes the proxy's own refusals. */
  readonly policy: GapPolicy;
  /** Called with each violation sentence and each upstream failure. */
  readonly report: (line: string) => void;
  readonly dispatcher?: Dispatcher;
}

/**
 * A pass-through proxy: each request goes upstream byte for byte, each answer comes back byte for byte, and
 * then Prism's validators judge the exchange against the document. It never changes what passes through.
 */
export function createValidationProxy(options: ValidationProxyOptions): Server {
  const upstream = new URL(options.upstream);
  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      // A client that went away mid-request, or a bug of ours: never a crash of the proxy.
      options.report(
        `${incoming.method} ${incoming.url} → the proxy failed: ${error instanceof Error ? error.message : String(error)}.`,
      );
      if (!outgoing.headersSent) outgoing.writeHead(502).end();
      else outgoing.destroy();
    });
  });
  return server;

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    // Unbounded until the proxy streams (the proxy's own issue); read through the one body reader meanwhile.
    const requestBytes = (await readCapped(incoming, Number.POSITIVE_INFINITY)).bytes;
    const target = new URL(`${upstream.pathname.replace(/\/$/, '')}${incoming.url ?? '/'}`, upstream);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await forward(target, {
        method: (incoming.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: forwardable(incoming.headers),
        body: requestBytes.length > 0 ? requestBytes : null,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
    } catch (error) {
      options.report(
        `${incoming.method} ${incoming.url} → upstream ${upstream.origin} did not answer: ${(error as Error).message}.`,
      );
      outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(errorEnvelopeJson(options.policy, `The validation proxy could not reach ${upstream.origin}.`));
      return;
    }
    const responseBytes = (await readCapped(answer.body, Number.POSITIVE_INFINITY)).bytes;
    const headers = flattenHeaders(answer.headers);
    outgoing.writeHead(
      answer.statusCode,
      Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name))),
    );
    outgoing.end(responseBytes);

    // Prefixed, not resolved: resolved, a target such as "//x" would read as a host.
    const url = new URL(`http://proxy.invalid${(incoming.url ?? '/').startsWith('/') ? '' : '/'}${incoming.url ?? '/'}`);
    const requestHeaders = flattenHeaders(incoming.headers);
    const observed: ObservedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: requestHeaders,
      body: decode(requestBytes, requestHeaders['content-type']),
    };
    const response = { status: answer.statusCode, headers, body: decode(responseBytes, headers['content-type']) };
    for (const finding of options.validate(observed, response)) options.report(describeFinding(finding, observed, response));
  }
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

/** The body as Prism's validators want it: parsed JSON for a JSON media type, text otherwise, nothing when empty. */
function decode(bytes: Buffer, contentType: string | undefined): unknown {
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  if (!isJsonMediaType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
