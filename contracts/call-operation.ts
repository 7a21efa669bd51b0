import { type Dispatcher, errors, request } from 'undici';
import type { RequestPlan } from './build-cases.ts';

/** The suite reads at most this much of a body; the rest is cut off and reported (BODY_TOO_LARGE). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The token as every output shows it: a shell variable, so a reproduced curl works and the secret never prints. */
export const TOKEN_PLACEHOLDER = '$CONTRACT_TOKEN';

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
  /** The body as text (UTF-8), at most MAX_BODY_BYTES of it, as received: redactToken() before showing it. */
  readonly body: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

/** One request and what came back: a response, or the reason none did. Never thrown. */
export interface Exchange {
  readonly request: RecordedRequest;
  readonly response?: RecordedResponse;
  readonly failure?: { readonly kind: 'timeout' | 'connection'; readonly message: string };
}

export interface CallOptions {
  readonly baseUrl: string;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly dispatcher?: Dispatcher;
}

/** Sends one planned request with undici and records the exchange; timeouts and dropped connections become data. */
export async function callOperation(plan: RequestPlan, options: CallOptions): Promise<Exchange> {
  const url = new URL(plan.path.replace(/^\//, ''), options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`).href;
  const headers: Record<string, string> = { ...plan.headers };
  if (plan.sendToken && options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const recorded: RecordedRequest = {
    method: plan.method,
    url,
    headers:
      plan.sendToken && options.token !== undefined ? { ...headers, authorization: `Bearer ${TOKEN_PLACEHOLDER}` } : headers,
    ...(plan.body === undefined ? {} : { body: plan.body }),
  };
  const started = performance.now();
  // One deadline for the whole exchange, so that a server that sends its body a byte at a time cannot hold the run.
  const signal = AbortSignal.timeout(options.timeoutMs);
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
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      const room = MAX_BODY_BYTES - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        truncated = true;
        response.body.destroy();
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
    return {
      request: recorded,
      response: {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body: Buffer.concat(chunks).toString('utf8'),
        truncated,
        durationMs: performance.now() - started,
      },
    };
  } catch (error) {
    const elapsed = Math.round(performance.now() - started);
    const timedOut = signal.aborted || error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError;
    return {
      request: recorded,
      failure: timedOut
        ? { kind: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` }
        : { kind: 'connection', message: `${describeNetworkError(error)} after ${elapsed} ms` },
    };
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
  return `${error.message}${cause && cause.message !== error.message ? ` (${cause.message})` : ''}${code ? ` [${code}]` : ''}`;
}
