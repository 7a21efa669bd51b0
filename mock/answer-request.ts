import {
  type Contract,
  errorEnvelopeJson,
  type GapPolicy,
  type GapRuleId,
  isMediaType,
  type OperationContract,
} from '../openapi/index.ts';
import { type Route, routeOperation } from '../openapi/route-operation.ts';
import type { EngineResult, PrismEngine } from '../prism/engine.ts';
import { chooseDelivery, type Delivery, type Fault } from './choose-delivery.ts';
import { chooseScenario } from './choose-scenario.ts';
import { chooseGeneration, generateBody } from './generate-body.ts';
import { PREFERENCE_NAMES, readPreferences } from './read-preferences.ts';

/** The request body as the server read it off the socket. */
export type BodyReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'malformed-json'; readonly reason: string }
  | { readonly kind: 'too-large'; readonly limit: number }
  | { readonly kind: 'too-deep'; readonly limit: number };

export interface MockRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: BodyReading;
}

/** What the mock sends back, and how. */
export interface MockAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Where the answer came from: a document example or a gap-policy rule, as file#pointer. */
  readonly source: string;
  readonly delayMs: number;
  readonly fault?: Fault;
}

export interface MockContext {
  readonly contract: Contract;
  readonly policy: GapPolicy;
  readonly engine: PrismEngine;
  /** How the document and the policy are named in provenance headers, e.g. "openapi/flashback.yaml". */
  readonly documentLabel: string;
  readonly policyLabel: string;
}

/** The mock's pipeline: route → read preferences → choose a scenario → let Prism validate and answer → apply the gap policy. */
export async function answerRequest(context: MockContext, request: MockRequest): Promise<MockAnswer> {
  const refuse = (rule: GapRuleId, sentence: string, extraHeaders: Record<string, string> = {}): MockAnswer =>
    refusal(context, rule, sentence, extraHeaders);
  if (request.body.kind === 'too-large') {
    return refuse('body-too-large', `The request body is larger than the ${request.body.limit} bytes the mock accepts.`);
  }
  if (request.body.kind === 'too-deep') {
    return refuse('invalid-body', `The request body nests deeper than the ${request.body.limit} levels the mock validates.`);
  }
  const preferences = readPreferences(request.headers.prefer, request.query);
  if (preferences.unknown) {
    return refuse(
      'unknown-scenario',
      `The mock reads no query parameter ${preferences.unknown.join(', ')}; it reads ${PREFERENCE_NAMES.map((name) => `__${name}`).join(', ')}.`,
    );
  }
  const delivery: Delivery = chooseDelivery(preferences);
  if (delivery.kind === 'unknown') return refuse('unknown-scenario', delivery.sentence);
  const generation = chooseGeneration(preferences);
  if (generation.kind === 'unknown') return refuse('unknown-scenario', generation.sentence);
  const route = routeOperation(context.contract.operations, request.method, request.path);
  let choice: { exampleKey?: string; status?: number } = {};
  let source: string | undefined;
  if (route.kind === 'operation') {
    const body = request.body.kind === 'json' ? request.body.value : undefined;
    const scenario = chooseScenario(route.operation, preferences, body);
    if (scenario.kind === 'unknown') return refuse('unknown-scenario', scenario.sentence);
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !isMediaType(contentType)) {
      // Prism throws on a Content-Type it cannot parse; refuse it here as the policy says instead.
      return refuse(
        'unsupported-media-type',
        `The Content-Type "${contentType}" is not a media type; send ${acceptedTypes(route)}.`,
      );
    }
    if (request.body.kind === 'malformed-json') {
      return refuse('malformed-json', `The request body is not valid JSON: ${request.body.reason}.`);
    }
    choice = scenario.example ? { exampleKey: scenario.example.name, status: scenario.status } : { status: scenario.status };
    const response = route.operation.responses.find((candidate) => candidate.status === scenario.status);
    source = `${context.documentLabel}#${scenario.example?.pointer ?? response?.schemaPointer ?? route.operation.pointer}`;
  }
  const result = await context.engine.answer(
    {
      method: request.method,
      path: request.path,
      query: Object.fromEntries(request.query),
      headers: withoutUnparsableAccept(withCanonicalScheme(request.headers)),
      body: bodyForPrism(request.body),
    },
    choice,
  );
  let answer =
    result.kind === 'answer' ? served(result, source ?? context.documentLabel) : refuseForPrism(context, request, route, result);
  if (result.kind === 'answer' && generation.kind === 'generate' && route.kind === 'operation') {
    // Prism has judged the request; only the body is replaced, by one generated from the status's schema.
    const response = route.operation.responses.find((candidate) => candidate.status === result.status);
    if (response) {
      answer = {
        ...answer,
        headers: { 'content-type': response.contentType },
        body: JSON.stringify(await generateBody(response.schema, generation.seed)),
        source: `generated from ${context.documentLabel}#${response.schemaPointer} with seed ${generation.seed}`,
      };
    }
  }
  return delivery.fault === undefined
    ? { ...answer, delayMs: delivery.delayMs }
    : { ...answer, delayMs: delivery.delayMs, fault: delivery.fault };
}

/**
 * RFC 7235 section 2.1 makes the auth scheme name case-insensitive, but Prism only accepts "Bearer" spelled so:
 * hand it the canonical spelling so that "bearer TOKEN" is accepted as a real server would.
 */
function withCanonicalScheme(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const authorization = headers.authorization;
  if (authorization === undefined || !/^bearer\s/i.test(authorization)) return headers;
  return { ...headers, authorization: `Bearer ${authorization.slice(7)}` };
}

/**
 * Prism throws on an Accept it cannot parse. RFC 9110 section 12.5.1 lets a server disregard such a field, as
 * most servers do, so the mock answers as if it were absent.
 */
function withoutUnparsableAccept(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const accept = headers.accept;
  if (accept === undefined || accept.split(',').every(isMediaType)) return headers;
  const { accept: _dropped, ...rest } = headers;
  return rest;
}

function bodyForPrism(body: BodyReading): unknown {
  switch (body.kind) {
    case 'json':
      return body.value;
    case 'text':
      return body.text;
    default:
      return undefined;
  }
}

// Remembered answers share their body objects, so each is serialised once rather than once per request.
const serialized = new WeakMap<object, string>();

function serialize(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === null || typeof body !== 'object') return JSON.stringify(body);
  let text = serialized.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    serialized.set(body, text);
  }
  return text;
}

function served(result: Extract<EngineResult, { kind: 'answer' }>, source: string): MockAnswer {
  const contentType = Object.entries(result.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return {
    status: result.status,
    headers: { 'content-type': contentType ?? 'application/json' },
    body: serialize(result.body),
    source,
    delayMs: 0,
  };
}

function refuseForPrism(
  context: MockContext,
  request: MockRequest,
  route: Route<OperationContract>,
  result: Extract<EngineResult, { kind: 'refusal' }>,
): MockAnswer {
  const label = `${request.method.toUpperCase()} ${request.path}`;
  switch (result.refusal) {
    case 'unauthorized': {
      const authorization = request.headers.authorization;
      if (authorization === undefined) {
        return refusal(
          context,
          'missing-credentials',
          `${label} needs an "Authorization: Bearer <token>" header, and the request has none.`,
        );
      }
      const [scheme = '', token = ''] = authorization.trim().split(/\s+/, 2);
      const problem =
        scheme.toLowerCase() === 'bearer' && token === '' ? 'its bearer token is empty' : `it uses the "${scheme}" scheme`;
      return refusal(context, 'invalid-credentials', `${label} needs "Authorization: Bearer <token>", but ${problem}.`);
    }
    case 'invalid-request':
      if (request.body.kind === 'none') {
        return refusal(context, 'missing-body', `${label} needs a JSON request body, and the request has none.`);
      }
      return refusal(context, 'invalid-body', `${result.problems.join('; ') || result.detail}.`);
    case 'invalid-content-type': {
      const sent = request.headers['content-type'];
      return refusal(
        context,
        'unsupported-media-type',
        `${label} takes ${acceptedTypes(route)}; the request's Content-Type is ${sent === undefined ? 'missing' : `"${sent}"`}.`,
      );
    }
    case 'not-acceptable':
      return refusal(
        context,
        'not-acceptable',
        `${label} answers only application/json, which the Accept header "${request.headers.accept ?? ''}" excludes.`,
      );
    case 'no-path': {
      const served = context.contract.operations.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`);
      return refusal(
        context,
        'unknown-path',
        `No operation is documented at ${request.path}; the mock serves ${served.join(', ')}.`,
      );
    }
    case 'no-method': {
      const allowed = route.kind === 'no-method' ? route.allowed.join(', ') : '';
      return refusal(
        context,
        'method-not-allowed',
        `${request.method.toUpperCase()} is not allowed on ${request.path}; allowed: ${allowed}.`,
        {
          allow: allowed,
        },
      );
    }
    case 'no-example':
      return refusal(context, 'unknown-scenario', `${result.detail}.`);
    case 'other':
      // Prism refused for a reason the gap policy has no rule for; pass its status and words on unchanged.
      return {
        status: result.status,
        headers: { 'content-type': 'application/json' },
        body: errorEnvelopeJson(context.policy, `${result.detail}`),
        source: 'prism',
        delayMs: 0,
      };
  }
}

function acceptedTypes(route: Route<OperationContract>): string {
  return route.kind === 'operation' && route.operation.requestBody ? route.operation.requestBody.contentType : 'application/json';
}

function refusal(
  context: MockContext,
  ruleId: GapRuleId,
  sentence: string,
  extraHeaders: Record<string, string> = {},
): MockAnswer {
  const rule = context.policy.rules[ruleId];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries({ ...rule.mock.headers, ...extraHeaders })) headers[name.toLowerCase()] = value;
  return {
    status: rule.mock.status,
    headers,
    body: errorEnvelopeJson(context.policy, sentence),
    source: `${context.policyLabel}#${rule.pointer}`,
    delayMs: 0,
  };
}
