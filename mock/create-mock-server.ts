import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Contract, DEFAULT_POLICY_LABEL, envelopeBody, type GapPolicy } from '../engine/index.ts';
import { fileLabel } from '../openapi/index.ts';
import { flattenHeaders, rawHttpAnswer } from '../runtime/http-headers.ts';
import {
  answerRequest,
  createMockContext,
  type MockAnswer,
  type MockContext,
  SOURCE_HEADER,
  sourceHeader,
} from './answer-request.ts';
import { readBody } from './read-body.ts';

export interface MockServerOptions {
  /** The documents the mock serves now: read at each request, so that a reload takes effect on the next one. */
  readonly current: () => MockContext;
  /** Called with one line per answered request; omit to log nothing. */
  readonly log?: (line: string) => void;
}

/** What a request is answered from, the files named as users see them. */
export function mockContext(contract: Contract, policy: GapPolicy): MockContext {
  const policyLabel = policy.path === DEFAULT_POLICY_LABEL ? DEFAULT_POLICY_LABEL : fileLabel(policy.path);
  return createMockContext(contract, policy, fileLabel(contract.documentPath), policyLabel);
}

/** Builds the mock's HTTP server (not yet listening): the socket's side here, every decision in answerRequest. */
export function createMockServer(options: MockServerOptions): Server {
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const context = options.current();
    handle(context, request, response).then(
      (summary) =>
        options.log?.(`${request.method} ${request.url} → ${summary} (${(performance.now() - started).toFixed(1)} ms)`),
      (error: unknown) => {
        // Only a bug of ours lands here: answer in the policy's shape rather than leave the client hanging.
        options.log?.(`${request.method} ${request.url} → failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) {
          const body = envelopeBody(context.envelope, 'The mock failed to answer; see its log.', 500);
          response.writeHead(500, { 'content-type': context.envelope.contentType }).end(body);
        } else {
          response.destroy();
        }
      },
    );
  };
  const server = createServer(onRequest);
  // An Expect other than 100-continue: RFC 9110 section 10.1.1 lets a server answer the request as usual rather
  // than with Node's bare 417, and the mock does, so that the answer is the one the request asked for.
  server.on('checkExpectation', onRequest);
  // Node's parser refuses what is not HTTP it knows (an unknown method, a broken header) before any handler
  // runs, with a bare 400 and no body. Answer in the policy's shape instead, then close.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    socket.end(rawRefusal(options.current(), `The request is not HTTP the mock can parse (${error.code ?? error.message}).`));
  });
  // CONNECT asks for a tunnel (RFC 9110 section 9.3.6), which the mock does not open: Node would close the
  // connection without a word.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    options.log?.(`CONNECT ${request.url} → refused: the mock opens no tunnels`);
    socket.end(rawRefusal(options.current(), 'The mock opens no tunnels; CONNECT is not a method it answers.'));
  });
  return server;
}

/** A whole HTTP answer, written straight to a socket that no ServerResponse owns: the malformed-request rule. */
function rawRefusal(context: MockContext, sentence: string): string {
  const rule = context.policy.rules['malformed-request'];
  return rawHttpAnswer(
    rule.mock.status,
    {
      'content-type': context.envelope.contentType,
      [SOURCE_HEADER]: sourceHeader(context, `${context.policyLabel}#${rule.pointer}`),
      'access-control-allow-origin': '*',
    },
    envelopeBody(context.envelope, sentence, rule.mock.status),
  );
}

async function handle(context: MockContext, request: IncomingMessage, response: ServerResponse): Promise<string> {
  const url = parseTarget(request.url ?? '/');
  const answer = await answerRequest(context, {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: flattenHeaders(request.headers),
    body: await readBody(request, context.policy.maxRequestBodyBytes),
    origin: `http://${request.headers.host ?? 'localhost'}`,
  });
  if (answer.delayMs > 0 && !(await wait(answer.delayMs, response)))
    return `${answer.status} abandoned by the client during the delay`;
  deliver(answer, request, response);
  return `${answer.fault ? `fault ${answer.fault} over ` : ''}${answer.status} from ${answer.source}`;
}

/**
 * The request target as a URL. Prefixing the origin (rather than resolving against it) keeps "//x" a path:
 * resolved, it would read as a host. An absolute-form target (RFC 9112 section 3.2.2) is taken as it is.
 */
function parseTarget(target: string): URL {
  if (target.startsWith('/')) return new URL(`http://mock.invalid${target}`);
  try {
    return new URL(target);
  } catch {
    return new URL(`http://mock.invalid/${target}`);
  }
}

/** Waits, unless the client goes away first; true when the wait ran its course. */
function wait(ms: number, response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      response.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    response.once('close', onClose);
  });
}

function deliver(answer: MockAnswer, request: IncomingMessage, response: ServerResponse): void {
  const { headers } = answer;
  switch (answer.fault) {
    case 'reset':
      request.socket.resetAndDestroy();
      return;
    case 'hang':
      // Never answer: the server's close() ends the connection when the mock stops.
      return;
    case 'truncated-json': {
      const bytes = Buffer.from(answer.body);
      response.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
      response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => request.socket.destroy());
      return;
    }
    case undefined: {
      const bytes = Buffer.from(answer.body);
      // RFC 9110 section 8.6: no Content-Length on a 204 (the preflight's answer).
      const length = answer.status === 204 ? {} : { 'content-length': String(bytes.length) };
      response.writeHead(answer.status, { ...headers, ...length });
      response.end(request.method === 'HEAD' ? undefined : bytes);
    }
  }
}
