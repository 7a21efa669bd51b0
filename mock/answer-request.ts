// The one place that decides every answer of the mock, whether it travels over a socket (create-mock-server.ts)
// or through MSW handlers in a test or a browser (msw/create-handlers.ts). Nothing here touches Node's APIs,
// so that the same decisions run inside a service worker's page (docs/decisions/0009-one-answering-logic.md).
import { type Classification, classifyRequest } from '../contracts/classify-request.ts';
import { describeSchemaError, type Validate, validatorCache } from '../contracts/compile-validators.ts';
import type { Contract, OperationContract, SchemaObject } from '../openapi/contract.ts';
import { errorEnvelopeJson } from '../openapi/error-envelope.ts';
import type { GapPolicy, GapRuleId } from '../openapi/load-gap-policy.ts';
import { acceptsMediaType, isJsonMediaType } from '../openapi/media-type.ts';
import { routeOperation } from '../openapi/route-operation.ts';
import { chooseDelivery, type Fault } from './choose-delivery.ts';
import { chooseScenario } from './choose-scenario.ts';
import { corsHeaders, isPreflight, preflightHeaders } from './cors.ts';
import { chooseGeneration, generateBody } from './generate-body.ts';
import { renderIndexPage } from './index-page.ts';
import { PREFERENCE_NAMES, readPreferences } from './read-preferences.ts';

/** The header that says where an answer came from: a document example, a gap-policy rule, or the generator. */
export const SOURCE_HEADER = 'x-mock-source';

/** The request body as the transport read it, up to the policy's limit. */
export type BodyReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'too-large'; readonly limit: number }
  | { readonly kind: 'read'; readonly text: string; readonly size: number };

export interface MockRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case, repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: BodyReading;
  /** Where the client reached the mock, e.g. "http://127.0.0.1:4010": the index page's snippets call it. */
  readonly origin: string;
}

/** What the mock sends back, and how. */
export interface MockAnswer {
  readonly status: number;
  /** Every header of the answer, names in lower case, X-Mock-Source and CORS included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Where the answer came from, as X-Mock-Source says it. */
  readonly source: string;
  readonly delayMs: number;
  readonly fault?: Fault;
}

export interface MockContext {
  readonly contract: Contract;
  readonly policy: GapPolicy;
  /** The contract suite's validators: the mock judges a body as the suite and the proxy do. */
  readonly validatorFor: (schema: SchemaObject) => Validate;
  /** How the document and the policy are named in provenance headers, e.g. "openapi/flashback.yaml". */
  readonly documentLabel: string;
  readonly policyLabel: string;
}

/** The context both transports answer from: the suite's validators, and the files named as `labels` say. */
export function createMockContext(
  contract: Contract,
  policy: GapPolicy,
  documentLabel: string,
  policyLabel: string,
): MockContext {
  return { contract, policy, validatorFor: validatorCache(), documentLabel, policyLabel };
}

/**
 * How deep a JSON body may nest. The validators recurse through a body along a recursive schema, and a few
 * thousand levels (a 20 KB body) would overflow the stack; no document the kit serves nests a tenth as deep.
 */
const MAX_JSON_DEPTH = 256;

type Decision = Omit<MockAnswer, 'delayMs' | 'fault'>;

/** Answers one request: a preflight, the index page, a refusal under the gap policy, or a documented answer. */
export async function answerRequest(context: MockContext, request: MockRequest): Promise<MockAnswer> {
  if (isPreflight(request.method, request.headers)) {
    const route = routeOperation(
      context.contract.operations,
      request.headers['access-control-request-method'] ?? '',
      request.path,
    );
    const methods =
      route.kind === 'no-method' ? route.allowed : route.kind === 'operation' ? [route.operation.method.toUpperCase()] : [];
    // Every answer says where it came from, preflights included (the README promises it of all of them).
    const source = 'CORS preflight';
    return {
      status: 204,
      headers: { ...preflightHeaders(request.headers, methods), [SOURCE_HEADER]: source },
      body: '',
      source,
      delayMs: 0,
    };
  }
  const cors = corsHeaders(request.headers.origin);
  if ((request.method === 'GET' || request.method === 'HEAD') && (request.path === '/' || request.path === '/index.html')) {
    const source = 'index page';
    return {
      status: 200,
      headers: { ...cors, 'content-type': 'text/html; charset=utf-8', [SOURCE_HEADER]: source },
      body: renderIndexPage(context.contract, context.policy, request.origin),
      source,
      delayMs: 0,
    };
  }
  const preferences = readPreferences(request.headers.prefer, request.query);
  const delivery = chooseDelivery(preferences);
  const decision = await decide(context, request, preferences, delivery);
  const headers = { ...cors, ...decision.headers, [SOURCE_HEADER]: decision.source };
  // A delay or a fault applies to whatever the answer is, refusals included: a UI's error path is slow too.
  if (delivery.kind === 'unknown') return { ...decision, headers, delayMs: 0 };
  // A HEAD answer has no body to cut short: it is delivered whole.
  const cuttable = !(delivery.fault === 'truncated-json' && request.method === 'HEAD');
  return delivery.fault === undefined || !cuttable
    ? { ...decision, headers, delayMs: delivery.delayMs }
    : { ...decision, headers, delayMs: delivery.delayMs, fault: delivery.fault };
}

async function decide(
  context: MockContext,
  request: MockRequest,
  preferences: ReturnType<typeof readPreferences>,
  delivery: ReturnType<typeof chooseDelivery>,
): Promise<Decision> {
  const refuse = (rule: GapRuleId, sentence: string, extraHeaders: Record<string, string> = {}): Decision =>
    refusal(context, rule, sentence, extraHeaders);
  const label = `${request.method.toUpperCase()} ${request.path}`;
  if (request.body.kind === 'too-large') {
    return refuse('body-too-large', `The request body is larger than the ${request.body.limit} bytes the mock accepts.`);
  }
  if (preferences.unknown) {
    return refuse(
      'unknown-scenario',
      `The mock reads no query parameter ${preferences.unknown.join(', ')}; it reads ${PREFERENCE_NAMES.map((name) => `__${name}`).join(', ')}.`,
    );
  }
  if (delivery.kind === 'unknown') return refuse('unknown-scenario', delivery.sentence);
  const generation = chooseGeneration(preferences);
  if (generation.kind === 'unknown') return refuse('unknown-scenario', generation.sentence);
  const route = routeOperation(context.contract.operations, request.method, request.path);
  if (route.kind === 'no-path') {
    const served = context.contract.operations.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`);
    return refuse('unknown-path', `No operation is documented at ${request.path}; the mock serves ${served.join(', ')}.`);
  }
  if (route.kind === 'no-method') {
    const allowed = route.allowed.join(', ');
    return refuse(
      'method-not-allowed',
      `${request.method.toUpperCase()} is not allowed on ${request.path}; allowed: ${allowed}.`,
      {
        allow: allowed,
      },
    );
  }
  const { operation } = route;
  const parsed = parseJsonBody(request);
  if (parsed.kind === 'too-deep') {
    return refuse('invalid-body', `The request body nests deeper than the ${MAX_JSON_DEPTH} levels the mock validates.`);
  }
  const scenario = chooseScenario(operation, preferences, parsed.kind === 'json' ? parsed.value : undefined);
  if (scenario.kind === 'unknown') return refuse('unknown-scenario', scenario.sentence);
  const seen = classifyRequest(context.contract, context.policy, context.validatorFor, {
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body.kind === 'read' ? request.body : { text: '', size: 0 },
  });
  if (seen.kind !== 'unrouted' && seen.rule !== undefined) {
    return refuse(seen.rule, refusalSentence(seen.rule, seen, request, operation, parsed));
  }
  const response = operation.responses.find((candidate) => candidate.status === scenario.status);
  if (response && !acceptsMediaType(request.headers.accept, response.contentType)) {
    return refuse(
      'not-acceptable',
      `${label} answers only ${response.contentType}, which the Accept header "${request.headers.accept ?? ''}" excludes.`,
    );
  }
  if (!response)
    return { status: scenario.status, headers: {}, body: '', source: `${context.documentLabel}#${operation.pointer}` };
  if (generation.kind === 'generate' || !scenario.example) {
    // No example to serve, or a generated body asked for: one generated from the status's schema, reproducible
    // by its seed (0 when the document has no example and none was asked for).
    const seed = generation.kind === 'generate' ? generation.seed : 0;
    return {
      status: scenario.status,
      headers: { 'content-type': response.contentType },
      body: JSON.stringify(await generateBody(response.schema, seed)),
      source: `generated from ${context.documentLabel}#${response.schemaPointer} with seed ${seed}`,
    };
  }
  return {
    status: scenario.status,
    headers: { 'content-type': scenario.example.contentType },
    body: serialize(scenario.example.value),
    source: `${context.documentLabel}#${scenario.example.pointer}`,
  };
}

type ParsedBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'too-deep' };

/** The body as JSON when it says it is JSON: the scenario rules match on it, and a deep one is refused first. */
function parseJsonBody(request: MockRequest): ParsedBody {
  if (request.body.kind !== 'read' || !isJsonMediaType(request.headers['content-type'])) return { kind: 'none' };
  let value: unknown;
  try {
    value = JSON.parse(request.body.text);
  } catch (error) {
    return { kind: 'malformed', reason: (error as Error).message };
  }
  return depthOf(value) > MAX_JSON_DEPTH ? { kind: 'too-deep' } : { kind: 'json', value };
}

/** The nesting depth of a parsed JSON value, counted without recursion so that no body can overflow the stack. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** One sentence for a refused request: what the operation needs, and what the request did instead. */
function refusalSentence(
  rule: GapRuleId,
  seen: Exclude<Classification, { kind: 'unrouted' }>,
  request: MockRequest,
  operation: OperationContract,
  parsed: ParsedBody,
): string {
  const label = `${request.method.toUpperCase()} ${request.path}`;
  const accepted = operation.requestBody?.contentType ?? 'application/json';
  switch (rule) {
    case 'missing-credentials':
      return `${label} needs an "Authorization: Bearer <token>" header, and the request has none.`;
    case 'invalid-credentials': {
      const [scheme = '', ...rest] = (request.headers.authorization ?? '').trim().split(/\s+/);
      const problem =
        scheme.toLowerCase() !== 'bearer'
          ? `it uses the "${scheme}" scheme`
          : rest.length === 0
            ? 'its bearer token is empty'
            : 'its bearer token has spaces in it';
      return `${label} needs "Authorization: Bearer <token>", but ${problem}.`;
    }
    case 'missing-body':
      return `${label} needs a JSON request body, and the request has none.`;
    case 'malformed-json':
      return `The request body is not valid JSON: ${parsed.kind === 'malformed' ? parsed.reason : 'it does not parse'}.`;
    case 'unsupported-media-type': {
      const sent = request.headers['content-type'];
      return `${label} takes ${accepted}; the request's Content-Type is ${sent === undefined ? 'missing' : `"${sent}"`}.`;
    }
    case 'invalid-body':
      return `The request body breaks the schema: ${seen.schemaErrors.map(describeSchemaError).join('; ')}.`;
    default:
      return `${label} is refused: ${seen.problems.join('; ')}.`;
  }
}

// Examples are shared objects, so each is serialised once rather than once per request.
const serialized = new WeakMap<object, string>();

function serialize(body: unknown): string {
  if (body === null || typeof body !== 'object') return JSON.stringify(body) ?? '';
  let text = serialized.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    serialized.set(body, text);
  }
  return text;
}

function refusal(context: MockContext, ruleId: GapRuleId, sentence: string, extraHeaders: Record<string, string>): Decision {
  const rule = context.policy.rules[ruleId];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries({ ...rule.mock.headers, ...extraHeaders })) headers[name.toLowerCase()] = value;
  return {
    status: rule.mock.status,
    headers,
    body: errorEnvelopeJson(context.policy, sentence),
    source: `${context.policyLabel}#${rule.pointer}`,
  };
}
