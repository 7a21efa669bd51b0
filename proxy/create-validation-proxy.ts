import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, type Dispatcher, errors } from 'undici';
import { envelopeBody, MAX_BODY_BYTES } from '../engine/index.ts';
import { endToEndHeaders, flattenHeaders, rawHttpAnswer } from '../runtime/http-headers.ts';
import { type CappedBody, tapCapped } from '../runtime/read-capped.ts';
import { closeServer } from '../runtime/server-lifecycle.ts';
import { judgeObserved, type Observed, type ProxyChecks, type ProxyFinding } from './judge-observed.ts';
import { readTarget, type Upstream } from './upstream-target.ts';

export interface ValidationProxyOptions {
  readonly upstream: Upstream;
  readonly checks: ProxyChecks;
  /** How long to wait for the upstream's answer (its headers), and at most between two chunks of its body. */
  readonly timeoutMs: number;
  /** Called with each finding, as soon as its exchange is over. */
  readonly onFinding: (finding: ProxyFinding) => void;
}

export interface ValidationProxy {
  readonly server: Server;
  /** Exchanges seen so far. */
  exchanges(): number;
  /** Resolves once every exchange under way has been judged. */
  settled(): Promise<void>;
  /** Stops listening, ends every connection, and closes the connections to the upstream. */
  close(): Promise<void>;
}

const NO_BODY: CappedBody = { bytes: Buffer.alloc(0), size: 0, truncated: false };

/**
 * A pass-through proxy: requests go to the upstream and answers come back byte for byte, as they arrive and with
 * back-pressure, while a copy of each body (at most 1 MiB) is kept for the suite's checks, which judge the
 * exchange once it is over. Requests go only to the upstream's origin, under its base path.
 */
export function createValidationProxy(options: ValidationProxyOptions): ValidationProxy {
  const { upstream, checks } = options;
  const agent = new Agent({ keepAliveTimeout: 4000 });
  const pending = new Set<Promise<void>>();
  let seen = 0;
  const refuse = (status: number, sentence: string): { status: number; body: string } => ({
    status,
    body: envelopeBody(checks.context.envelope, sentence, status),
  });

  const server = createServer((incoming, outgoing) => {
    seen += 1;
    const work = handle(incoming, outgoing).catch((error: unknown) => {
      // A bug of ours must never crash a proxy left running for hours: answer, or cut the connection.
      if (!outgoing.headersSent) send(outgoing, refuse(502, `The validation proxy failed: ${(error as Error).message}.`));
      else outgoing.destroy();
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  });
  // CONNECT carries an authority-form target (RFC 9112 section 3.2.3): a tunnel to another host. Refused.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    seen += 1;
    options.onFinding({
      kind: 'client',
      method: 'CONNECT',
      path: request.url ?? '',
      rule: 'malformed-request',
      problem: 'the proxy opens no tunnels; it forwards only to its upstream',
    });
    const answer = refuse(400, 'The validation proxy opens no tunnels; it forwards only to its upstream.');
    socket.end(rawHttpAnswer(answer.status, { 'content-type': 'application/json' }, answer.body));
  });

  return {
    server,
    exchanges: () => seen,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      await closeServer(server);
      // Not close(): that would wait for requests to an upstream that may never answer.
      await agent.destroy();
    },
  };

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const method = incoming.method ?? 'GET';
    const target = readTarget(incoming.url ?? '');
    if ('refusal' in target) {
      incoming.resume();
      options.onFinding({
        kind: 'client',
        method,
        path: (incoming.url ?? '').slice(0, 200),
        rule: 'malformed-request',
        problem: target.refusal,
      });
      send(outgoing, refuse(400, target.refusal));
      return;
    }
    const requestTap = tapCapped(MAX_BODY_BYTES);
    const hasBody = incoming.headers['content-length'] !== undefined || incoming.headers['transfer-encoding'] !== undefined;
    // The client going away ends the upstream request too.
    const abandoned = new AbortController();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) abandoned.abort();
    });
    const started = performance.now();
    const observed = (rest: Pick<Observed, 'response' | 'failure'>): Observed => ({
      method,
      path: target.path,
      query: target.query,
      headers: incoming.headers,
      requestBody: hasBody ? requestTap.captured() : NO_BODY,
      ...rest,
    });
    // Our own timer for the wait for the answer's head: undici's headersTimeout ticks in coarse steps.
    const waited = new AbortController();
    const timer = setTimeout(() => waited.abort(), options.timeoutMs);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await agent.request({
        origin: upstream.origin,
        // Appended, never resolved: the target cannot leave the upstream's origin or its base path.
        path: `${upstream.basePath}${target.path}${target.query}`,
        method: method as Dispatcher.HttpMethod,
        headers: endToEndHeaders(incoming.headers),
        body: hasBody ? incoming.pipe(requestTap.stream) : null,
        bodyTimeout: options.timeoutMs,
        signal: AbortSignal.any([abandoned.signal, waited.signal]),
      });
    } catch (error) {
      if (abandoned.signal.aborted) return; // the client left before an answer: nothing to judge
      const timedOut = waited.signal.aborted;
      const message = timedOut
        ? `no answer from ${upstream.shown} within ${options.timeoutMs} ms`
        : `${upstream.shown} did not answer: ${(error as Error).message}`;
      send(outgoing, refuse(timedOut ? 504 : 502, `The validation proxy got ${message}.`));
      judge(observed({ failure: { kind: timedOut ? 'timeout' : 'connection', message } }));
      return;
    } finally {
      clearTimeout(timer);
    }
    outgoing.writeHead(answer.statusCode, endToEndHeaders(answer.headers));
    const responseTap = tapCapped(MAX_BODY_BYTES);
    try {
      await pipeline(answer.body, responseTap.stream, outgoing);
    } catch (error) {
      if (abandoned.signal.aborted) return;
      outgoing.destroy();
      const timedOut = error instanceof errors.BodyTimeoutError;
      const message = timedOut
        ? `the body from ${upstream.shown} stalled for ${options.timeoutMs} ms`
        : `the body from ${upstream.shown} broke off: ${(error as Error).message}`;
      judge(observed({ failure: { kind: timedOut ? 'timeout' : 'connection', message } }));
      return;
    }
    judge(
      observed({
        response: {
          status: answer.statusCode,
          headers: flattenHeaders(answer.headers),
          body: responseTap.captured(),
          durationMs: performance.now() - started,
        },
      }),
    );
  }

  function judge(exchange: Observed): void {
    for (const finding of judgeObserved(checks, upstream, exchange)) options.onFinding(finding);
  }
}

function send(outgoing: ServerResponse, answer: { status: number; body: string }): void {
  outgoing.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer.body) });
  outgoing.end(answer.body);
}
