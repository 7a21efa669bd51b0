// The MSW handlers and the mock server must answer alike: the same random requests go to the real server over
// HTTP (undici's request(), which MSW does not intercept) and to the handlers (fetch(), which MSW does), and
// every answer must match: status, body, the headers a client reads, and how a fault breaks the exchange.
import { METHODS } from 'node:http';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { type Dispatcher, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Contract, GapPolicy } from '../engine/index.ts';
import { mockContext } from '../mock/create-mock-server.ts';
import { type RunningMock, startMock } from '../mock/start-mock.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import { type FuzzRequest, randomRequests } from '../testing/fuzz-mock.ts';
import { type ContractBreach, createHandlers } from './create-handlers.ts';

/** What a client can tell about an answer: an outcome to compare, whichever way it travelled. */
type Outcome =
  | { readonly kind: 'answer'; readonly status: number; readonly headers: Record<string, string>; readonly body: string }
  | { readonly kind: 'failed'; readonly stage: 'connection' | 'body' };

/** The headers a client reads; Date, Content-Length and Keep-Alive say how the bytes travelled, not what came. */
const COMPARED = /^(content-type|x-mock-source|allow|www-authenticate|vary|access-control-.*)$/;

// fetch() refuses these methods outright (Fetch standard, "forbidden method"); Node's parser refuses a method it
// does not know before any handler runs, which only a socket can show (the malformed-request rule).
const FETCHABLE = new Set(METHODS.filter((method) => !['CONNECT', 'TRACE', 'TRACK'].includes(method)));

let mock: RunningMock;
let contract: Contract;
let policy: GapPolicy;
let msw: ReturnType<typeof setupServer>;

beforeAll(async () => {
  [contract, policy, mock] = await Promise.all([
    loadContract(),
    Promise.resolve(loadGapPolicy()),
    startMock({ host: '127.0.0.1', port: 0, watch: false }),
  ]);
  // The handlers answer at the server's own URL, so that everything that names where the client called (the
  // index page's snippets) reads the same both ways.
  msw = setupServer(...createHandlers(mockContext(contract, policy), { baseUrl: mock.url }));
  msw.listen({ onUnhandledRequest: 'error' });
});

afterEach(() => {
  msw.resetHandlers();
});

afterAll(async () => {
  msw?.close();
  await mock?.close();
});

interface SentRequest {
  readonly url: string;
  readonly init: RequestInit;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/** A random request as fetch() would send it: a method fetch allows, no body on GET or HEAD, a short delay. */
function fetchable(input: FuzzRequest, fault: string | undefined): SentRequest {
  const url = new URL(`${mock.url}${input.path}`);
  for (const [name, value] of input.query) url.searchParams.append(name, value);
  for (const [name, value] of [...url.searchParams]) if (name === '__delay' && Number(value) > 5) url.searchParams.set(name, '5');
  if (fault !== undefined) url.searchParams.set('__fault', fault);
  const body =
    input.method === 'GET' || input.method === 'HEAD' || input.body === undefined
      ? undefined
      : typeof input.body === 'string'
        ? input.body
        : new Uint8Array(input.body);
  const init = { method: input.method, headers: input.headers };
  return body === undefined ? { url: url.href, init } : { url: url.href, init: { ...init, body }, body };
}

function answerOf(status: number, headers: Record<string, string | string[] | undefined>, body: string): Outcome {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (COMPARED.test(name) && value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { kind: 'answer', status, headers: kept, body };
}

async function throughServer({ url, init, body }: SentRequest): Promise<Outcome> {
  // The headers fetch() would send (its Request normalises them and types a string body as text/plain).
  const normalised = new Request(url, init);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: normalised.method as Dispatcher.HttpMethod,
      headers: Object.fromEntries(normalised.headers),
      body: body ?? null,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
  } catch {
    return { kind: 'failed', stage: 'connection' };
  }
  try {
    return answerOf(response.statusCode, response.headers, await response.body.text());
  } catch {
    return { kind: 'failed', stage: 'body' };
  }
}

async function throughHandlers({ url, init }: SentRequest): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch {
    return { kind: 'failed', stage: 'connection' };
  }
  try {
    const body = await response.text();
    return answerOf(response.status, Object.fromEntries(response.headers), body);
  } catch {
    return { kind: 'failed', stage: 'body' };
  }
}

/**
 * How many random requests the differential sends each way. `npm test` sends 200, enough to reach every
 * kind of answer; `npm run test:differential` (a CI step of its own) sends the full 3,000, which took two of the
 * four minutes of `npm test` on a loaded machine.
 */
const DIFFERENTIAL_RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 200);

describe('the MSW handlers and the mock server', () => {
  it(`give identical answers to ${DIFFERENTIAL_RUNS} random requests, faults included`, async () => {
    expect(Number.isInteger(DIFFERENTIAL_RUNS) && DIFFERENTIAL_RUNS > 0, 'DIFFERENTIAL_RUNS is a whole number above 0').toBe(
      true,
    );
    const statuses = new Map<string, number>();
    const property = fc.asyncProperty(
      randomRequests(contract, policy).filter((input) => FETCHABLE.has(input.method)),
      // One request in ten asks for a fault ("hang" has a test of its own: it never answers).
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('reset', 'truncated-json') },
      ),
      async (input, fault) => {
        const sent = fetchable(input, fault);
        const viaServer = await throughServer(sent);
        const viaHandlers = await throughHandlers(sent);
        expect(viaHandlers).toEqual(viaServer);
        const key = viaServer.kind === 'answer' ? String(viaServer.status) : `failed: ${viaServer.stage}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      },
    );
    await fc.assert(property, { numRuns: DIFFERENTIAL_RUNS, seed: 20261128 });
    // The requests reach every kind of answer, so that agreement is not only on the easy ones. A documented 500
    // needs a valid request that also asks for it, about one in a thousand: below the full count the next test,
    // which sends every documented example both ways, is what compares it.
    const documented500 = DIFFERENTIAL_RUNS >= 3000 ? ['500'] : [];
    for (const expected of [
      '200',
      '400',
      '401',
      '404',
      '405',
      '415',
      '422',
      ...documented500,
      'failed: connection',
      'failed: body',
    ]) {
      expect(statuses.get(expected) ?? 0, `answers with ${expected}: ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
    }
    // The full 3,000 each way take seconds on an idle machine; beside four busy processes, minutes: the bound.
  }, 180_000);

  it('answer each documented example the same, by name and by request body', async () => {
    const operation = contract.operations[0];
    expect(operation).toBeDefined();
    for (const example of operation?.responses.flatMap((response) => response.examples) ?? []) {
      const sent = fetchable(
        {
          method: operation?.method.toUpperCase() ?? 'POST',
          path: `${operation?.path}`,
          query: [['__example', example.name]],
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          body: JSON.stringify(operation?.requestBody?.examples[0]?.value),
        },
        undefined,
      );
      const viaHandlers = await throughHandlers(sent);
      expect(viaHandlers).toEqual(await throughServer(sent));
      expect(viaHandlers).toMatchObject({ status: example.status, body: JSON.stringify(example.value) });
    }
  });
});

describe('the MSW handlers on their own', () => {
  const valid = (): RequestInit => ({
    method: contract.operations[0]?.method.toUpperCase() ?? 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify(contract.operations[0]?.requestBody?.examples[0]?.value),
  });
  const path = (): string => contract.operations[0]?.path ?? '/';

  it("answer at the document's server URLs by default", async () => {
    msw.use(...createHandlers(mockContext(contract, policy)));
    expect(contract.servers.length).toBeGreaterThan(0);
    for (const server of contract.servers) {
      const response = await fetch(`${server}${path()}`, valid());
      expect(response.status, server).toBe(200);
      expect(response.headers.get('x-mock-source')).toContain('#/paths/');
    }
  });

  it('answer under a base URL with a path, and nothing beside it', async () => {
    msw.use(...createHandlers(mockContext(contract, policy), { baseUrl: 'http://api.test/v1' }));
    expect((await fetch(`http://api.test/v1${path()}`, valid())).status).toBe(200);
    const unknown = await fetch('http://api.test/v1/no/such/path', valid());
    expect(unknown.status).toBe(policy.rules['unknown-path'].mock.status);
    // Outside the base nothing answers: MSW's onUnhandledRequest: 'error' makes the fetch fail.
    await expect(fetch(`http://api.test/v1x${path()}`, valid())).rejects.toThrow();
  });

  it('answer with the scenario a test prefers, unless the request prefers another', async () => {
    const failure = contract.operations[0]?.responses.find((response) => response.status >= 500)?.examples[0];
    const success = contract.operations[0]?.responses.find((response) => response.status < 300)?.examples[0];
    msw.use(...createHandlers(mockContext(contract, policy), { baseUrl: 'http://api.test', prefer: `example=${failure?.name}` }));
    const preferred = await fetch(`http://api.test${path()}`, valid());
    expect(preferred.status).toBe(failure?.status);
    expect(await preferred.json()).toEqual(failure?.value);
    const own = await fetch(`http://api.test${path()}`, {
      ...valid(),
      headers: { ...valid().headers, prefer: `example=${success?.name}` },
    });
    expect(own.status).toBe(success?.status);
    const byQuery = await fetch(`http://api.test${path()}?__example=${success?.name}`, valid());
    expect(byQuery.status).toBe(success?.status);
  });

  it('never answer a hang until the client gives up', async () => {
    msw.use(...createHandlers(mockContext(contract, policy), { baseUrl: 'http://api.test' }));
    const controller = new AbortController();
    let settled = false;
    const hung = fetch(`http://api.test${path()}?__fault=hang`, { ...valid(), signal: controller.signal }).finally(() => {
      settled = true;
    });
    // A request sent after the hung one, and delayed, is answered while the hung one still waits.
    expect((await fetch(`http://api.test${path()}?__delay=20`, valid())).status).toBe(200);
    expect(settled).toBe(false);
    controller.abort();
    await expect(hung).rejects.toThrow(/abort/i);
  });

  it('ask for a base URL in one sentence when the document lists none, or the one given is not a URL', () => {
    const serverless = { ...contract, servers: [] };
    expect(() => createHandlers(mockContext(serverless, policy))).toThrow(/document lists no servers, so pass baseUrl/);
    expect(() => createHandlers(mockContext(contract, policy), { baseUrl: '/api' })).toThrow(
      'baseUrl "/api" is not an absolute URL; pass one such as "http://localhost:8080/api".',
    );
  });
});

describe('the MSW handlers with strict requests', () => {
  const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer t' }) =>
    fetch(`http://api.test${contract.operations[0]?.path}`, {
      method: contract.operations[0]?.method.toUpperCase() ?? 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('report a request that breaks the contract, which still gets its refusal, naming the operation, rule and pointer', async () => {
    const breaches: ContractBreach[] = [];
    msw.use(
      ...createHandlers(mockContext(contract, policy), { baseUrl: 'http://api.test', onInvalidRequest: (b) => breaches.push(b) }),
    );
    const valid = contract.operations[0]?.requestBody?.examples[0]?.value;
    expect((await post(valid)).status).toBe(200);
    expect(breaches).toEqual([]);
    const refused = await post({ mfaType: 'NOT_A_METHOD' });
    expect(refused.status).toBe(policy.rules['invalid-body'].mock.status);
    expect(breaches).toEqual([
      {
        method: 'POST',
        url: `http://api.test${contract.operations[0]?.path}`,
        rule: 'invalid-body',
        sentence: expect.stringMatching(
          /^POST \/mfa\/enable is refused under invalid-body: its body at \/mfaType .* \(at \/body\/mfaType\)\.$/,
        ),
      },
    ]);
  });

  it('leave alone the refusals a test provokes on purpose', async () => {
    const breaches: ContractBreach[] = [];
    msw.use(
      ...createHandlers(mockContext(contract, policy), {
        baseUrl: 'http://api.test',
        onInvalidRequest: (b) => breaches.push(b),
        expectRefusals: ['missing-credentials'],
      }),
    );
    expect((await post(contract.operations[0]?.requestBody?.examples[0]?.value, {})).status).toBe(401);
    expect(breaches).toEqual([]);
  });
});
