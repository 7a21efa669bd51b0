import { type Dispatcher, errors, request } from 'undici';
import { decodeBody } from '../runtime/decode-body.ts';
import { flattenHeaders } from '../runtime/http-headers.ts';
import { readCapped } from '../runtime/read-capped.ts';
import { TOKEN_PLACEHOLDER } from '../runtime/redact.ts';
import type { RequestPlan } from './build-cases.ts';

/** The suite reads at most this much of a body; the rest is cut off and reported (BODY_TOO_LARGE). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** As sent, with the bearer token shown as $CONTRACT_TOKEN. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body as text (UTF-8), at most MAX_BODY_BYTES of it, decoded from its Content-Encoding (gzip, deflate, br)
   * when it has one, as the proxy decodes it: redact before showing it.
   */
  readonly body: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

/**
 * Why no answer came. 'unreachable': no connection could be made at all (refused, unknown host, TLS failure),
 * which on a run's first request means there is nothing to judge; 'connection': one was made, then dropped.
 */
export type FailureKind = 'timeout' | 'connection' | 'unreachable';

/** One request and what came back: a response, or the reason none did. Never thrown. */
export interface Exchange {
  readonly request: RecordedRequest;
  readonly response?: RecordedResponse;
  readonly failure?: { readonly kind: FailureKind; readonly message: string };
}

export interface CallOptions {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly timeoutMs: number;
  readonly dispatcher?: Dispatcher;
  /** Cuts the request short when it aborts (an interrupted run); the exchange then reads as a timeout. */
  readonly signal?: AbortSignal;
}

/** Errors raised before any byte reached a server: DNS, refused or unroutable connections, TLS handshakes. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** The URL of an operation path under the base URL, keeping the base URL's own path ("/api" + "/mfa/enable"). */
export function operationUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return base.href;
}

/** Sends one planned request with undici and records the exchange; timeouts and dropped connections become data. */
export async function callOperation(plan: RequestPlan, options: CallOptions): Promise<Exchange> {
  const url = operationUrl(options.baseUrl, plan.path);
  const headers: Record<string, string> = { ...plan.headers };
  const withToken = plan.sendToken && options.token !== undefined;
  if (withToken) headers.authorization = `Bearer ${options.token}`;
  const recorded: RecordedRequest = {
    method: plan.method,
    url,
    headers: withToken ? { ...headers, authorization: `Bearer ${TOKEN_PLACEHOLDER}` } : headers,
    ...(plan.body === undefined ? {} : { body: plan.body }),
  };
  const started = performance.now();
  // One deadline for the whole exchange, so that a server that sends its body a byte at a time cannot hold the run.
  const signal = options.signal
    ? AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal])
    : AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await request(url, {
      method: plan.method as Dispatcher.HttpMethod,
      headers,
      body: plan.body ?? null,
      signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const raw = await readCapped(response.body, MAX_BODY_BYTES, 'stop');
    const responseHeaders = flattenHeaders(response.headers);
    // RFC 9110 section 8.4: with no Accept-Encoding in the request a server may still send gzip, deflate or br;
    // the body is judged as decoded, and still at most MAX_BODY_BYTES of it.
    const body = decodeBody(raw, responseHeaders['content-encoding'], MAX_BODY_BYTES);
    return {
      request: recorded,
      response: {
        status: response.statusCode,
        headers: responseHeaders,
        body: body.text,
        truncated: body.truncated,
        durationMs: performance.now() - started,
      },
    };
  } catch (error) {
    const elapsed = Math.round(performance.now() - started);
    const timedOut = signal.aborted || error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError;
    if (timedOut)
      return { request: recorded, failure: { kind: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` } };
    const code = errorCode(error);
    const unreachable =
      code !== undefined && (UNREACHABLE.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'));
    return {
      request: recorded,
      failure: {
        kind: unreachable ? 'unreachable' : 'connection',
        message: `${describeNetworkError(error)} after ${elapsed} ms`,
      },
    };
  }
}

function errorCode(error: unknown): string | undefined {
  const own = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined)?.code : undefined;
  // undici wraps socket errors in its own (UND_ERR_SOCKET); the system's code, when there is one, says more.
  return cause ?? own;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = errorCode(error);
  return `${error.message}${cause && cause.message !== error.message ? ` (${cause.message})` : ''}${code && !error.message.includes(code) ? ` [${code}]` : ''}`;
}
