import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import { routeOperation } from '../engine/index.ts';
import { answerRequest, type MockAnswer, type MockContext } from '../mock/answering.ts';
import type { ContractCoverage } from './contract-coverage.ts';
import { readRequestBody } from './read-request-body.ts';

export interface HandlerOptions {
  /**
   * Where the app calls the API: one base URL or several, e.g. "http://localhost:8080/api" (in a browser "/api"
   * is the page's origin). Default: the document's server URLs. Every path under a base is answered,
   * undocumented ones with the policy's 404, except under the page's own origin, where they pass through.
   */
  readonly baseUrl?: string | readonly string[];
  /**
   * What every request asks for unless it says otherwise, in `Prefer` syntax: "example=internalError",
   * "code=500, delay=300", "fault=reset". For one test: `server.use(...flashbackHandlers({ prefer: … }))`.
   * A preference the request sends itself (header or `__` query parameter) wins.
   */
  readonly prefer?: string;
  /**
   * What a request that breaks the contract does besides getting its refusal: 'ignore' (the default), 'error'
   * (an uncaught ContractBreachError naming the operation, the rule and the pointer, which fails the test run
   * that sent it), or a function of your own. A test of the app's own refusal path lists the rules it provokes
   * on purpose in expectRefusals, e.g. ['missing-credentials'].
   */
  readonly onInvalidRequest?: 'ignore' | 'error' | ((breach: ContractBreach) => void);
  readonly expectRefusals?: readonly string[];
  /** Records what the tests exercised (statuses, scenarios, refusals, breaches): see ContractCoverage. */
  readonly coverage?: ContractCoverage;
}

/** A request the app sent that the contract refuses. */
export interface ContractBreach {
  readonly method: string;
  readonly url: string;
  /** The gap-policy rule, e.g. "invalid-body". */
  readonly rule: string;
  /** One sentence: the operation, what is wrong, and where (a JSON pointer into the request). */
  readonly sentence: string;
}

/** Thrown, outside the request, for a breach under onInvalidRequest: 'error'. */
export class ContractBreachError extends Error {
  override readonly name = 'ContractBreachError';
}

/**
 * MSW handlers that answer as the mock server does, from the same decisions (answerRequest): only the transport
 * differs. Delays wait with MSW's delay(); a reset becomes a network error, a hang never answers, and a cut-off
 * JSON body is a stream that fails half-way, which is how each reaches a fetch() over a socket too.
 */
export function createHandlers(context: MockContext, options: HandlerOptions = {}): HttpHandler[] {
  const bases = baseUrls(options.baseUrl ?? context.contract.servers);
  return bases.map((base) =>
    // A RegExp, not MSW's path syntax: in a path pattern the ":" of an IPv6 literal or a port, "(", "+" and "*"
    // mean parameters and groups, and a base such as http://[::1]:3000 broke every handler of the app.
    http.all(new RegExp(`^${escapeRegExp(base.href)}`), async ({ request }) => {
      const url = new URL(request.url);
      const path = `/${url.pathname.slice(base.pathname.length)}`;
      // A base that is the page's own origin (a dev server on the document's localhost:3000) would otherwise
      // answer the app's own pages and scripts with 404s: only documented paths are the API's there.
      if (
        base.origin === pageOrigin() &&
        routeOperation(context.contract.operations, request.method, path, context.contract.basePaths).kind === 'no-path'
      ) {
        return undefined;
      }
      const headers = Object.fromEntries(request.headers);
      if (options.prefer !== undefined) {
        // The request's own preferences first: of two with one name, the first one counts (RFC 7240 section 2).
        headers.prefer = headers.prefer === undefined ? options.prefer : `${headers.prefer}, ${options.prefer}`;
      }
      const answer = await answerRequest(context, {
        method: request.method,
        path,
        query: url.searchParams,
        headers,
        body: await readRequestBody(request, context.policy.maxRequestBodyBytes),
        origin: base.href.slice(0, -1),
      });
      const breach = answer.refusal !== undefined && !(options.expectRefusals ?? []).includes(answer.refusal.rule);
      options.coverage?.record({ method: request.method, path }, answer, breach);
      if (breach && answer.refusal)
        report(options.onInvalidRequest, { method: request.method, url: request.url, ...answer.refusal });
      if (answer.delayMs > 0) await delay(answer.delayMs);
      return respond(answer, request.method);
    }),
  );
}

/**
 * A breach, as the option says. 'error' throws outside the request, once the refusal is on its way: the app still
 * sees the refusal it must handle, and the test runner (vitest, jest, a page's console) reports the error against
 * the test that was running.
 */
function report(how: HandlerOptions['onInvalidRequest'], breach: ContractBreach): void {
  if (how === undefined || how === 'ignore') return;
  if (typeof how === 'function') {
    how(breach);
    return;
  }
  const error = new ContractBreachError(`[flashback] The app sent a request the contract refuses: ${breach.sentence}`);
  // A microtask: thrown before the refusal reaches the caller, so the test that sent it is the one running.
  queueMicrotask(() => {
    throw error;
  });
}

/** The bases as URLs whose path ends in "/", so that "/api" does not also match "/apiary". */
function baseUrls(given: string | readonly string[]): URL[] {
  const list = typeof given === 'string' ? [given] : given;
  if (list.length === 0) throw new TypeError('MSW handlers need a base URL: the document lists no servers, so pass baseUrl.');
  return list.map((base) => {
    let url: URL;
    try {
      // In a page, "/api" means the page's own origin, as it does to fetch(); in Node there is nothing to resolve against.
      url = new URL(base, pageOrigin());
    } catch {
      throw new TypeError(`baseUrl "${base}" is not an absolute URL; pass one such as "http://localhost:8080/api".`);
    }
    // MSW compares a request's origin and path: credentials in a base URL would make it match nothing.
    url.username = '';
    url.password = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.search = '';
    url.hash = '';
    return url;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function pageOrigin(): string | undefined {
  return (globalThis as { location?: { origin?: string } }).location?.origin;
}

async function respond(answer: MockAnswer, method: string): Promise<Response> {
  const init = { status: answer.status, headers: answer.headers };
  if (answer.fault === undefined) {
    // A 204 and a HEAD answer carry no body (the Response constructor refuses one for a 204).
    return new HttpResponse(method === 'HEAD' || answer.status === 204 ? null : answer.body, init);
  }
  switch (answer.fault) {
    case 'reset':
      return HttpResponse.error();
    case 'hang':
      await delay('infinite');
      return HttpResponse.error();
    case 'truncated-json': {
      const bytes = new TextEncoder().encode(answer.body);
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          controller.error(new TypeError('The mock cut the JSON body short (fault truncated-json).'));
        },
      });
      return new HttpResponse(body, init);
    }
  }
}
