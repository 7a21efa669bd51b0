// The one place that decides every answer of the mock, whether it travels over a socket (create-mock-server.ts)
// or through MSW handlers in a test or a browser (msw/create-handlers.ts). Nothing here touches Node's APIs,
// so that the same decisions run inside a service worker's page (docs/decisions/0009-one-answering-logic.md).
import {
  acceptsMediaType,
  type BodyReading,
  type Contract,
  challengesFor,
  type EngineRequest,
  type ErrorEnvelope,
  envelopeFor,
  type GapPolicy,
  type GapRuleId,
  isJsonMediaType,
  judgeRequest,
  type OperationContract,
  operationLabel,
  type Refusal,
  refusalAnswer,
  refusalSentence,
  responsesFor,
  routeOperation,
  type SchemaObject,
  type Validate,
  validatorCache,
  validValue,
} from '../engine/index.ts';
import { chooseDelivery, type Fault } from './choose-delivery.ts';
import { chooseScenario } from './choose-scenario.ts';
import { corsHeaders, isPreflight, preflightHeaders } from './cors.ts';
import { chooseGeneration, generateBody } from './generate-body.ts';
import { renderIndexPage } from './index-page.ts';
import { PREFERENCE_NAMES, readPreferences } from './read-preferences.ts';

export type { BodyReading };

/** The header that says where an answer came from: a document example, a gap-policy rule, or the generator. */
export const SOURCE_HEADER = 'x-mock-source';

/**
 * X-Mock-Source as sent: where the answer came from, and which version of the contract (info.version) the mock
 * serves, so that a frontend sees what it is testing against (and `flashback-contract diff` names the same).
 */
export function sourceHeader(context: Pick<MockContext, 'contract'>, source: string): string {
  return `${source} (contract version ${context.contract.version})`;
}

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
  /** Set when the request was refused: the gap-policy rule and the sentence, for strict consumers. */
  readonly refusal?: { readonly rule: GapRuleId; readonly sentence: string };
}

export interface MockContext {
  readonly contract: Contract;
  readonly policy: GapPolicy;
  /** The envelope of every refusal: the policy's, or the document's own error schema. */
  readonly envelope: ErrorEnvelope;
  /** The engine's validators: the mock judges a request as the suite and the proxy do, through one pipeline. */
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
  return {
    contract,
    policy,
    envelope: envelopeFor(contract, policy),
    validatorFor: validatorCache(),
    documentLabel,
    policyLabel,
  };
}

type Decision = Omit<MockAnswer, 'delayMs' | 'fault'>;

/** Answers one request: a preflight, the index page, a refusal under the gap policy, or a documented answer. */
export async function answerRequest(context: MockContext, request: MockRequest): Promise<MockAnswer> {
  if (isPreflight(request.method, request.headers)) {
    const route = routeOperation(
      context.contract.operations,
      request.headers['access-control-request-method'] ?? '',
      request.path,
      context.contract.basePaths,
    );
    const methods =
      route.kind === 'no-method' ? route.allowed : route.kind === 'operation' ? [route.operation.method.toUpperCase()] : [];
    // Every answer says where it came from, preflights included (the README promises it of all of them).
    const source = 'CORS preflight';
    return {
      status: 204,
      headers: { ...preflightHeaders(request.headers, methods), [SOURCE_HEADER]: sourceHeader(context, source) },
      body: '',
      source,
      delayMs: 0,
    };
  }
  const cors = corsHeaders(request.headers.origin);
  // The index page lives at / unless the document has an operation there itself (the API's own root wins).
  if (
    (request.method === 'GET' || request.method === 'HEAD') &&
    (request.path === '/' || request.path === '/index.html') &&
    routeOperation(context.contract.operations, request.method, request.path, context.contract.basePaths).kind === 'no-path'
  ) {
    const source = 'index page';
    return {
      status: 200,
      headers: { ...cors, 'content-type': 'text/html; charset=utf-8', [SOURCE_HEADER]: sourceHeader(context, source) },
      body: renderIndexPage(context.contract, context.policy, request.origin),
      source,
      delayMs: 0,
    };
  }
  const preferences = readPreferences(request.headers.prefer, request.query);
  const delivery = chooseDelivery(preferences);
  const decision = await decide(context, request, preferences, delivery);
  const headers = { ...cors, ...decision.headers, [SOURCE_HEADER]: sourceHeader(context, decision.source) };
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
  // The request is judged first, through the pipeline the suite, the proxy and the reference server run; only
  // a request the contract accepts goes on to the mock's own questions (which scenario, which body).
  const engineRequest: EngineRequest = request;
  const verdict = judgeRequest(context, engineRequest);
  if (verdict.kind === 'refused') return refuse(context, verdict.refusal, request, verdict.operation);
  const { operation } = verdict;
  const unknown = (sentence: string): Decision =>
    refuse(context, { rule: 'unknown-scenario', problem: sentence, pointer: '/query' }, request, operation, sentence);
  if (preferences.unknown) {
    return unknown(
      `The mock reads no query parameter ${preferences.unknown.join(', ')}; it reads ${PREFERENCE_NAMES.map((name) => `__${name}`).join(', ')}.`,
    );
  }
  if (delivery.kind === 'unknown') return unknown(delivery.sentence);
  const generation = chooseGeneration(preferences);
  if (generation.kind === 'unknown') return unknown(generation.sentence);
  const scenario = chooseScenario(operation, preferences, verdict.body?.value);
  if (scenario.kind === 'unknown') return unknown(scenario.sentence);
  const candidates = responsesFor(operation, scenario.status);
  const response = scenario.example
    ? candidates.find((candidate) => candidate.contentType === scenario.example?.contentType)
    : (candidates.find(
        (candidate) => candidate.contentType !== undefined && acceptsMediaType(request.headers.accept, candidate.contentType),
      ) ?? candidates[0]);
  if (response?.contentType !== undefined && !acceptsMediaType(request.headers.accept, response.contentType)) {
    const sentence = `${operationLabel(request)} answers ${scenario.status} only as ${response.contentType}, which the Accept header "${request.headers.accept ?? ''}" excludes.`;
    return refuse(
      context,
      { rule: 'not-acceptable', problem: sentence, pointer: '/headers/accept' },
      request,
      operation,
      sentence,
    );
  }
  // The headers the document marks required for the status (a 201's Location), from their examples or schemas.
  const headers: Record<string, string> = {};
  for (const header of response?.headers ?? []) {
    if (header.required) headers[header.name] = String(validValue(header.schema, header.example));
  }
  if (!response || response.contentType === undefined) {
    return {
      status: scenario.status,
      headers,
      body: '',
      source: `${context.documentLabel}#${response?.schemaPointer ?? operation.pointer}`,
    };
  }
  if (generation.kind === 'generate' || !scenario.example) {
    // No example to serve, or a generated body asked for: one generated from the status's schema, reproducible
    // by its seed (0 when the document has no example and none was asked for).
    const seed = generation.kind === 'generate' ? generation.seed : 0;
    const value = await generateBody(
      response.schema,
      seed,
      response.examples.map((example) => example.value),
    );
    return {
      status: scenario.status,
      headers: { ...headers, 'content-type': concreteType(response.contentType, value) },
      body: serializeAs(response.contentType, value),
      source: `generated from ${context.documentLabel}#${response.schemaPointer} with seed ${seed}`,
    };
  }
  return {
    status: scenario.status,
    headers: { ...headers, 'content-type': concreteType(scenario.example.contentType, scenario.example.value) },
    body: serializeAs(scenario.example.contentType, scenario.example.value),
    source: `${context.documentLabel}#${scenario.example.pointer}`,
  };
}

/** A refusal under the policy, in its envelope, with its rule's pointer as the source. */
function refuse(
  context: MockContext,
  refusal: Pick<Refusal, 'rule' | 'problem' | 'pointer' | 'allow'>,
  request: MockRequest,
  operation: OperationContract | undefined,
  sentence?: string,
): Decision {
  const said = sentence ?? refusalSentence(refusal, request);
  const answer = refusalAnswer(context.policy, context.envelope, refusal, said, operation ? challengesFor(operation) : []);
  return {
    status: answer.status,
    headers: answer.headers,
    body: answer.body,
    source: `${context.policyLabel}#${answer.rulePointer}`,
    refusal: { rule: refusal.rule, sentence: said },
  };
}

/** A documented range (*\/*, text/*) is no Content-Type to send: a string goes as text, anything else as JSON. */
function concreteType(documented: string, value: unknown): string {
  if (!documented.includes('*')) return documented;
  if (typeof value === 'string')
    return documented.startsWith('text/') || documented.startsWith('*/') ? 'text/plain' : documented.replace('*', 'octet-stream');
  return documented.startsWith('application/') || documented.startsWith('*/')
    ? 'application/json'
    : documented.replace('*', 'plain');
}

// Examples are shared objects, so each is serialised once rather than once per request.
const serialized = new WeakMap<object, string>();

/** A JSON media type gets JSON; a string for any other (text/plain) is sent as it is. */
function serializeAs(contentType: string, body: unknown): string {
  if (typeof body === 'string' && !isJsonMediaType(contentType)) return body;
  if (body === null || typeof body !== 'object') return JSON.stringify(body) ?? '';
  let text = serialized.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    serialized.set(body, text);
  }
  return text;
}
