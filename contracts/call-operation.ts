import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { type Dispatcher, errors, request } from 'undici';
import type { RequestPlan } from '../engine/index.ts';
import {
  applyCredentials,
  type Exchange,
  MAX_BODY_BYTES,
  RECORDED_BODY_CHARS,
  type RecordedRequest,
  type SecuritySchemeContract,
} from '../engine/index.ts';
import { decodeBody } from '../runtime/decode-body.ts';
import { flattenHeaders } from '../runtime/http-headers.ts';
import { readCapped } from '../runtime/read-capped.ts';
import { TOKEN_PLACEHOLDER } from '../runtime/redact.ts';
import { type ContractSettings, credentialVariable } from './contract-settings.ts';

export type { Exchange, FailureKind, RecordedRequest, RecordedResponse } from '../engine/index.ts';
export { MAX_BODY_BYTES } from '../engine/index.ts';

export interface CallOptions {
  readonly baseUrl: string;
  /** A scheme's credential and how records show it ($CONTRACT_TOKEN), or undefined when none was given. */
  readonly credentialFor?: (scheme: SecuritySchemeContract) => Credential | undefined;
  readonly timeoutMs: number;
  readonly dispatcher?: Dispatcher;
  /** Cuts the request short when it aborts (an interrupted run); the exchange then reads as a timeout. */
  readonly signal?: AbortSignal;
}

/** A credential to send, and the placeholder every record shows instead. */
export interface Credential {
  readonly value: string;
  readonly shownAs: string;
}

/**
 * Where a run's credentials come from: --credential NAME=VALUE for a scheme by name, else CONTRACT_TOKEN for
 * every bearer-like scheme (http bearer, oauth2, openIdConnect) and every API key. Basic needs its user:password.
 */
export function credentialSource(
  settings: Pick<ContractSettings, 'token' | 'credentials'>,
): (scheme: SecuritySchemeContract) => Credential | undefined {
  return (scheme) => {
    // By the scheme's name (--credential), or as an environment variable names it (CONTRACT_CREDENTIAL_API_KEY).
    const variable = credentialVariable(scheme.name);
    const named = settings.credentials?.[scheme.name] ?? settings.credentials?.[variable];
    if (named !== undefined) return { value: named, shownAs: `$CONTRACT_CREDENTIAL_${variable}` };
    if (settings.token === undefined || scheme.kind === 'basic') return undefined;
    return { value: settings.token, shownAs: TOKEN_PLACEHOLDER };
  };
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
  if (plan.raw !== undefined) return sendRaw(plan.raw, options);
  const target = new URL(operationUrl(options.baseUrl, plan.path.split('?')[0] ?? plan.path));
  const query = new URLSearchParams(plan.path.split('?')[1] ?? '');
  const headers: Record<string, string> = { ...plan.headers };
  const shownHeaders: Record<string, string> = { ...plan.headers };
  const shownQuery = new URLSearchParams(query);
  if (plan.withCredentials && options.credentialFor) {
    const credentialFor = options.credentialFor;
    applyCredentials(plan.security, (scheme) => credentialFor(scheme)?.value, { headers, query });
    // The same credentials again, as placeholders, for every record and reproduced curl command.
    applyCredentials(plan.security, (scheme) => credentialFor(scheme)?.shownAs, { headers: shownHeaders, query: shownQuery });
  }
  target.search = query.toString();
  const url = target.href;
  const shownUrl = new URL(target.href);
  shownUrl.search = shownQuery.toString();
  const recorded: RecordedRequest = {
    method: plan.method,
    url: decodeURI(shownUrl.href),
    headers: shownHeaders,
    ...(plan.body === undefined
      ? {}
      : plan.body.length > RECORDED_BODY_CHARS
        ? { body: plan.body.slice(0, RECORDED_BODY_CHARS), bodySize: plan.body.length }
        : { body: plan.body }),
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

/**
 * Writes bytes no HTTP client would send (a header line without a colon) on a socket of its own, and reads the
 * status line of the answer: enough to judge a refusal. Bounded by the timeout and by MAX_BODY_BYTES.
 */
function sendRaw(raw: string, options: CallOptions): Promise<Exchange> {
  const base = new URL(options.baseUrl);
  const recorded: RecordedRequest = { method: raw.split(' ')[0] ?? 'GET', url: base.href, headers: {}, raw };
  const port = Number(base.port || (base.protocol === 'https:' ? 443 : 80));
  const host = base.hostname.replace(/^\[|\]$/g, '');
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket =
      base.protocol === 'https:'
        ? connectTls({ host, port, servername: host, rejectUnauthorized: true })
        : connectTcp({ host, port });
    const timer = setTimeout(
      () => finish({ kind: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    let done = false;
    const finish = (failure?: Exchange['failure']): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      if (status === undefined) {
        resolve({
          request: recorded,
          failure: failure ?? { kind: 'connection', message: 'the connection closed without an HTTP answer' },
        });
        return;
      }
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = rest.join('\r\n\r\n');
      resolve({
        request: recorded,
        response: {
          status: Number(status),
          headers,
          body,
          truncated: size > MAX_BODY_BYTES,
          durationMs: performance.now() - started,
        },
      });
    };
    socket.once(base.protocol === 'https:' ? 'secureConnect' : 'connect', () => socket.end(raw));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else finish();
    });
    socket.on('end', () => finish());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const kind = error.code !== undefined && UNREACHABLE.has(error.code) ? 'unreachable' : 'connection';
      finish({ kind, message: describeNetworkError(error) });
    });
  });
}
