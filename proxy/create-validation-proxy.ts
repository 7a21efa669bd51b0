import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Duplex, type Readable, Transform } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';
import { envelopeBody, MAX_BODY_BYTES } from '../engine/index.ts';
import { endToEndHeaders, flattenHeaders, rawHttpAnswer } from '../runtime/http-headers.ts';
import type { CappedBody } from '../runtime/read-capped.ts';
import { BodyCopy } from './body-copy.ts';
import { judgeObserved, type Observed, type ProxyChecks, type ProxyFinding } from './judge-observed.ts';
import { LiveExchanges, type LiveLink } from './live-exchanges.ts';
import { readTarget, type Upstream } from './upstream-target.ts';

/** Exchanges in flight at most, unless told otherwise: each holds at most two 1 MiB copies while it lasts. */
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** How long stop() lets the exchanges in flight finish before it cuts them. */
export const DEFAULT_STOP_GRACE_MS = 2000;

/** A request body up to this size, with a Content-Length, is read whole and sent as one buffer: no stream to set up. */
const SMALL_BODY_BYTES = 64 * 1024;

export interface ValidationProxyOptions {
  readonly upstream: Upstream;
  readonly checks: ProxyChecks;
  /** How long a whole exchange may take, from the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Exchanges in flight at most; past it the proxy answers 503 in the error envelope. */
  readonly maxInFlight?: number;
  /** Called with each finding, once its exchange is over. */
  readonly onFinding: (finding: ProxyFinding) => void;
  /** Called for each exchange that could not be judged, with the reason in words. */
  readonly onNotJudged?: (exchange: NotJudged) => void;
}

/** An exchange the proxy did not judge, and why. */
export interface NotJudged {
  readonly method: string;
  readonly path: string;
  readonly reason: NotJudgedReason;
  /** The reason as a clause, e.g. "the client left before its request was complete". */
  readonly because: string;
}

export type NotJudgedReason = 'busy' | 'client-left' | 'client-slow' | 'stopped' | 'judge-failed';

export interface ValidationProxy {
  readonly server: Server;
  /** Exchanges seen so far. */
  exchanges(): number;
  /** Exchanges under way now. */
  inFlight(): number;
  /** Resolves once every exchange under way has been judged. */
  settled(): Promise<void>;
  /**
   * Stops accepting, lets the exchanges in flight finish for `graceMs`, then cuts those still going (each is
   * recorded as not judged), and closes the connections to the upstream. Resolves once all that is done.
   */
  stop(graceMs?: number): Promise<void>;
  /** stop() with no grace: cuts every exchange at once. */
  close(): Promise<void>;
}

const NO_BODY: CappedBody = { bytes: Buffer.alloc(0), size: 0, truncated: false };

/** One exchange under way, as stop() sees it. */
interface Live {
  cut(): void;
}

/**
 * A pass-through proxy: requests go to the upstream and answers come back byte for byte, as they arrive and with
 * back-pressure, while a copy of each body (at most 1 MiB) is kept for the suite's checks, which judge the
 * exchange once it is over, whatever the client did meanwhile. Requests go only to the upstream's origin, under
 * its base path. Bounded: in the number of exchanges in flight, the memory each holds, and the time each takes.
 */
export function createValidationProxy(options: ValidationProxyOptions): ValidationProxy {
  const { upstream, checks } = options;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  // Keep-alive to the upstream (undici's default), with idle connections kept a while: a proxy in front of a busy
  // server must not open a connection per exchange. One origin only, so a Pool, not an Agent that looks the origin
  // up for each request. The exchange's own deadline bounds the time, not undici's timers.
  const pool = new Pool(upstream.origin, { keepAliveTimeout: 4000, headersTimeout: 0, bodyTimeout: 0 });
  const live = new LiveExchanges<Live>();
  let waiters: (() => void)[] = [];
  let seen = 0;
  let stopping: Promise<void> | undefined;
  const refuse = (status: number, sentence: string): { status: number; body: string } => ({
    status,
    body: envelopeBody(checks.context.envelope, sentence, status),
  });
  const notJudged = (method: string, path: string, reason: NotJudgedReason, because: string): void => {
    options.onNotJudged?.({ method, path: path.slice(0, 200), reason, because });
  };
  const settle = (link: LiveLink<Live>): void => {
    live.remove(link);
    if (live.size === 0 && waiters.length > 0) {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    }
  };

  const server = createServer((incoming, outgoing) => {
    seen += 1;
    if (stopping) {
      // A request on a keep-alive connection while the proxy stops: refused, and the connection closed after it.
      incoming.resume();
      outgoing.shouldKeepAlive = false;
      notJudged(incoming.method ?? 'GET', incoming.url ?? '', 'stopped', 'it came while the proxy was stopping');
      send(outgoing, refuse(503, 'The validation proxy is stopping; send the request again once it runs.'));
      return;
    }
    if (live.size >= maxInFlight) {
      incoming.resume();
      notJudged(
        incoming.method ?? 'GET',
        incoming.url ?? '',
        'busy',
        `the proxy had ${maxInFlight} exchanges in flight, its bound (--max-in-flight), and answered 503`,
      );
      send(
        outgoing,
        refuse(
          503,
          `The validation proxy has ${maxInFlight} exchanges in flight, its bound (--max-in-flight); retry once some are over.`,
        ),
      );
      return;
    }
    try {
      handle(incoming, outgoing);
    } catch (error) {
      // A bug of ours must never crash a proxy left running for hours: answer, or cut the connection.
      if (!outgoing.headersSent) send(outgoing, refuse(502, `The validation proxy failed: ${(error as Error).message}.`));
      else outgoing.destroy();
    }
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

  const settled = (): Promise<void> =>
    live.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));

  const stop = (graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> => {
    stopping ??= (async () => {
      // Stop accepting; idle keep-alive connections close now, busy ones once their exchange is over.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (live.size > 0 && graceMs > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      for (const exchange of live.items()) exchange.cut();
      server.closeAllConnections();
      await settled();
      await closed;
      // Not close(): that would wait for requests to an upstream that may never answer.
      await pool.destroy();
    })();
    return stopping;
  };

  return { server, exchanges: () => seen, inFlight: () => live.size, settled, stop, close: () => stop(0) };

  function handle(incoming: IncomingMessage, outgoing: ServerResponse): void {
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
    const { path, query } = target;
    const started = performance.now();
    const declared = incoming.headers['content-length'];
    const hasBody = declared !== undefined || incoming.headers['transfer-encoding'] !== undefined;
    const requestCopy = new BodyCopy(MAX_BODY_BYTES);
    const responseCopy = new BodyCopy(MAX_BODY_BYTES);
    // The upstream exchange, driven through undici's dispatch handler: no response stream, no promise, no
    // AbortController per exchange (the profile showed their set-up and teardown as much as the judging).
    let controller: Dispatcher.DispatchController | undefined;
    let answer: { readonly status: number; readonly headers: Record<string, string> } | undefined;
    let answerEnded = false;
    let over = false;
    let clientGone = false;
    let requestComplete = !hasBody;

    const exchange: Live = {
      cut: () => finish({ notJudged: ['stopped', 'the proxy stopped before the exchange was over'] }),
    };
    const link = live.add(exchange);
    // The whole exchange is bounded, a dripping answer body included, not only the wait for its head.
    const deadline = setTimeout(() => {
      if (!requestComplete) {
        finish({
          notJudged: ['client-slow', `the client's request was not complete within ${options.timeoutMs} ms`],
          refusal: [408, `The validation proxy got no complete request within ${options.timeoutMs} ms.`],
        });
        return;
      }
      // Each message reads after "got", in the finding ("POST … got …") and in the refusal ("The proxy got …").
      const message = answer
        ? `an answer from ${upstream.shown} that was not over within ${options.timeoutMs} ms`
        : `no answer from ${upstream.shown} within ${options.timeoutMs} ms`;
      finish({ failure: { kind: 'timeout', message }, refusal: [504, `The validation proxy got ${message}.`] });
    }, options.timeoutMs);

    // on(), not once(): 'close' comes once anyway, and once() wraps its listener in two more objects per exchange.
    outgoing.on('close', () => {
      if (outgoing.writableFinished || over) return;
      clientGone = true;
      if (!requestComplete) {
        finish({ notJudged: ['client-left', 'the client left before its request was complete'] });
        return;
      }
      // The client left, but the answer is still judged: it is read on (not forwarded) to its end, or to the
      // limit of the copy, within the exchange's deadline.
      if (answer) {
        if (responseCopy.overLimit) finishWithAnswer();
        else controller?.resume();
      }
    });

    const observed = (rest: Pick<Observed, 'response' | 'failure'>): Observed => ({
      method,
      path,
      query,
      headers: incoming.headers,
      requestBody: hasBody ? requestCopy.captured() : NO_BODY,
      ...rest,
    });

    type Ending =
      | { readonly response: NonNullable<Observed['response']> }
      | { readonly failure: NonNullable<Observed['failure']>; readonly refusal?: readonly [number, string] }
      | { readonly notJudged: readonly [NotJudgedReason, string]; readonly refusal?: readonly [number, string] };

    function finish(ending: Ending): void {
      if (over) return;
      over = true;
      clearTimeout(deadline);
      incoming.off('data', onRequestData);
      if (!requestComplete) incoming.resume();
      // An exchange cut short, or an answer judged before its end (the client left and the copy is full), is
      // read no further.
      if (!answerEnded && controller && !controller.aborted) controller.abort(new Error('the exchange is over'));
      if (!('response' in ending) && !clientGone) {
        // The client gets a refusal in the envelope if nothing was sent yet, otherwise a cut connection: an
        // answer that broke off must not look complete.
        if (ending.refusal && !outgoing.headersSent) send(outgoing, refuse(ending.refusal[0], ending.refusal[1]));
        else outgoing.destroy();
      }
      if ('notJudged' in ending) {
        notJudged(method, path, ending.notJudged[0], ending.notJudged[1]);
        settle(link);
        return;
      }
      const seenExchange = observed(ending);
      // Judged off the hot path: the client has its answer; the verdict follows.
      setImmediate(() => {
        try {
          for (const finding of judgeObserved(checks, upstream, seenExchange)) options.onFinding(finding);
        } catch (error) {
          notJudged(method, path, 'judge-failed', `the proxy failed to judge it: ${(error as Error).message}`);
        }
        settle(link);
      });
    }

    function finishWithAnswer(): void {
      if (!answer) return;
      finish({
        response: {
          status: answer.status,
          headers: answer.headers,
          body: responseCopy.captured(),
          durationMs: performance.now() - started,
        },
      });
    }

    function onRequestData(chunk: Buffer): void {
      requestCopy.add(chunk);
    }

    function forward(body: Buffer | Readable | null): void {
      pool.dispatch(
        {
          origin: upstream.origin,
          // Appended to the base path, dot segments resolved first: the target cannot leave the upstream's
          // origin or its base path.
          path: `${upstream.basePath}${path}${query}`,
          method: method as Dispatcher.HttpMethod,
          headers: endToEndHeaders(incoming.headers),
          body,
        },
        {
          onRequestStart(started) {
            controller = started;
            if (over) started.abort(new Error('the exchange is over'));
          },
          onResponseStart(_controller, statusCode, headers) {
            // 1xx answers (other than 101, which undici refuses) are interim: the final answer follows.
            if (statusCode < 200 || over) return;
            answer = { status: statusCode, headers: flattenHeaders(headers) };
            if (!clientGone) outgoing.writeHead(statusCode, endToEndHeaders(headers));
          },
          onResponseData(paused, chunk) {
            if (over) return;
            responseCopy.add(chunk);
            if (clientGone) {
              // Past the limit the checks read no more of it: enough to judge.
              if (responseCopy.overLimit) finishWithAnswer();
              return;
            }
            if (!outgoing.write(chunk)) {
              paused.pause();
              outgoing.once('drain', () => paused.resume());
            }
          },
          onResponseEnd() {
            answerEnded = true;
            if (over) return;
            if (!clientGone) outgoing.end();
            finishWithAnswer();
          },
          onResponseError(_controller, error) {
            if (over) return;
            if (!answer) {
              const code = (error as NodeJS.ErrnoException).code ?? '';
              const unreached = /^connect /.test(error.message) || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
              const message = `${unreached ? 'no connection to' : 'no answer from'} ${upstream.shown} (${error.message})`;
              finish({ failure: { kind: 'connection', message }, refusal: [502, `The validation proxy got ${message}.`] });
              return;
            }
            const message = `an answer from ${upstream.shown} that broke off (${error.message})`;
            finish({ failure: { kind: 'connection', message } });
          },
        },
      );
    }

    if (!hasBody) {
      forward(null);
      return;
    }
    // A client that resets mid-upload is told by the answer's 'close' above; its stream's error says nothing more.
    incoming.on('error', ignore);
    const size = Number(declared);
    if (declared !== undefined && size <= SMALL_BODY_BYTES && incoming.headers['transfer-encoding'] === undefined) {
      // A small body is read whole first: one buffer to send, no stream to pipe.
      incoming.on('data', onRequestData);
      // on(), as for 'close' above: 'end' comes once.
      incoming.on('end', () => {
        requestComplete = true;
        if (!over) forward(requestCopy.captured().bytes);
      });
      return;
    }
    // A large or chunked body streams to the upstream as it comes, with back-pressure, through a tap for the copy.
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        requestCopy.add(chunk);
        done(null, chunk);
      },
    });
    incoming.once('end', () => {
      requestComplete = true;
    });
    forward(incoming.pipe(tap));
  }
}

function ignore(): void {}

function send(outgoing: ServerResponse, answer: { status: number; body: string }): void {
  outgoing.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer.body) });
  outgoing.end(answer.body);
}
