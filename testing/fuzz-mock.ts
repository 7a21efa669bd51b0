import { METHODS } from 'node:http';
import fc from 'fast-check';
import { type Dispatcher, request } from 'undici';
import { type Contract, envelopeFor, type GapPolicy } from '../engine/index.ts';

export interface FuzzOptions {
  readonly baseUrl: string;
  readonly contract: Contract;
  readonly policy: GapPolicy;
  readonly runs: number;
  readonly seed?: number;
  readonly dispatcher?: Dispatcher;
}

export interface FuzzReport {
  readonly runs: number;
  readonly seed: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** fast-check's account of the first failing request, shrunk; undefined when every request was answered well. */
  readonly failure?: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body: Uint8Array | string | undefined;
}

/** Header values a client can send: printable ASCII, as RFC 9110 field values allow. */
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 40,
});

/** Random and malformed requests, biased towards the documented operation so that validation is exercised. */
export function randomRequests(contract: Contract, policy: GapPolicy): fc.Arbitrary<FuzzRequest> {
  const operation = contract.operations[0];
  const path = operation?.path ?? '/';
  const scenarios = contract.operations.flatMap((o) => o.responses.flatMap((r) => r.examples.map((e) => e.name)));
  const validBody = JSON.stringify(operation?.requestBody?.examples[0]?.value ?? {});
  return fc.record({
    method: fc.oneof(
      fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      fc.stringMatching(/^[A-Z]{3,8}$/),
    ),
    path: fc.oneof(fc.constant(path), fc.constant(path), fc.constant('/'), fc.webPath()),
    query: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('__example', '__code', '__delay', 'q'), printable),
        fc.oneof(fc.constantFrom(...scenarios, '500', '200', '10', 'x'), printable),
      ),
      { maxLength: 3 },
    ),
    headers: fc.record(
      {
        authorization: fc.oneof(fc.constant('Bearer fuzz'), fc.constant('Bearer '), fc.constant('Basic Zm9vOmJhcg=='), printable),
        'content-type': fc.oneof(
          fc.constant('application/json'),
          fc.constant('text/plain'),
          fc.constant('application/json; charset=utf-8'),
          printable,
        ),
        accept: fc.oneof(fc.constant('application/json'), fc.constant('*/*'), printable),
        prefer: fc.oneof(fc.constantFrom(...scenarios.map((s) => `example=${s}`), 'code=500', 'code=999', 'delay=5'), printable),
        [`x-${'fuzz'}`]: printable,
      },
      { requiredKeys: [] },
    ),
    body: fc.option(
      fc.oneof(
        fc.constant(validBody),
        fc.json({ maxDepth: 3 }),
        fc.uint8Array({ maxLength: 256 }),
        fc.constantFrom('a'.repeat(policy.maxRequestBodyBytes), 'a'.repeat(policy.maxRequestBodyBytes + 1)),
      ),
      { nil: undefined },
    ),
  });
}

/** True when a request asked for a scenario by name or status, so a documented 5xx is what it wanted. */
function askedForScenario(input: FuzzRequest): boolean {
  return (
    input.query.some(([name]) => name === '__example' || name === '__code') ||
    /(?:^|[,;\s])(?:example|code)=/i.test(input.headers.prefer ?? '')
  );
}

/**
 * Sends random requests to a running mock. Every one must get an answer (never a dropped connection or a hang),
 * a 5xx only when a scenario asked for one, and for JSON refusals the gap policy's error envelope.
 */
export async function fuzzMock(options: FuzzOptions): Promise<FuzzReport> {
  const statuses: Record<string, number> = {};
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const { flagProperty, messageProperty } = envelopeFor(options.contract, options.policy);
  const property = fc.asyncProperty(randomRequests(options.contract, options.policy), async (input) => {
    const url = new URL(`${new URL(options.baseUrl).origin}${input.path}`);
    for (const [name, value] of input.query) url.searchParams.append(name, value);
    // Delays are capped at 50 ms here: the fuzz test is about answers, not patience.
    for (const [name, value] of [...url.searchParams])
      if (name === '__delay' && Number(value) > 50) url.searchParams.set(name, '50');
    const response = await request(url, {
      method: input.method as Dispatcher.HttpMethod,
      headers: input.headers,
      // Node's parser refuses a method it does not know before reading any body, and closes: a client still
      // sending one then sees a reset instead of the (sent) answer. Unknown methods go without a body.
      body: input.method === 'GET' || input.method === 'HEAD' || !METHODS.includes(input.method) ? null : (input.body ?? null),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const text = await response.body.text();
    statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
    const fromDocument = String(response.headers['x-mock-source'] ?? '').includes('#/paths/');
    if (response.statusCode >= 500 && !(askedForScenario(input) && fromDocument)) {
      throw new Error(`got ${response.statusCode} without asking for it: ${text.slice(0, 200)}`);
    }
    // Every answer says something, except where HTTP forbids a body: to HEAD, and in a 204 (RFC 9110 sections
    // 9.3.2 and 15.3.5).
    if (input.method !== 'HEAD' && response.statusCode !== 204 && text === '') {
      throw new Error(`got an empty ${response.statusCode} answer`);
    }
    const type = String(response.headers['content-type'] ?? '');
    if (input.method !== 'HEAD' && response.statusCode >= 400 && type.startsWith('application/json')) {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (
        flagProperty === undefined ||
        messageProperty === undefined ||
        body[flagProperty] !== false ||
        typeof body[messageProperty] !== 'string'
      ) {
        throw new Error(`a ${response.statusCode} refusal without the error envelope: ${text.slice(0, 200)}`);
      }
    }
  });
  const result = await fc.check(property, { numRuns: options.runs, seed });
  return {
    runs: result.numRuns,
    seed,
    statuses,
    ...(result.failed
      ? {
          failure: `${(fc.defaultReportMessage(result) ?? 'a request failed').slice(0, 2000)}\n${String(result.errorInstance).slice(0, 500)}`,
        }
      : {}),
  };
}
