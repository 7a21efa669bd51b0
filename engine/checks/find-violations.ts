// The response checks: plain functions of a judged case and the exchange it got, each returning Violation values.
// The suite runs them on the answers to its cases, the proxy on the exchanges it sees pass.
import type { Validate } from '../compile-validators.ts';
import { describeSchemaError, type SchemaError } from '../compile-validators.ts';
import {
  documentedKeys,
  type OperationContract,
  operationLabel,
  type ResponseContract,
  resolvePointer,
  responsesFor,
} from '../contract.ts';
import type { ErrorEnvelope } from '../error-envelope.ts';
import type { Exchange, RecordedResponse } from '../exchange.ts';
import type { GapPolicy, GapRuleId } from '../gap-policy.ts';
import { isJsonMediaType, mediaTypeOf, rangeMatches } from '../media-type.ts';
import { readHeaderValue } from '../parameters.ts';
import type { CheckName, Violation, ViolationCode } from '../violations.ts';
import { VIOLATIONS } from '../violations.ts';

/** positive: a valid request; negative: one that breaks the contract (body, parameter, media type, route); auth: bad credentials. */
export type CaseKind = 'positive' | 'negative' | 'auth';

/** What the checks need to know of a case: its kind, its operation (none for an unknown path) and its rule. */
export interface JudgedCase {
  readonly kind: CaseKind;
  readonly operation?: OperationContract;
  readonly rule?: GapRuleId;
  readonly request: { readonly method: string; readonly path: string };
}

/** Whatever redacts what a server sent before it is quoted (runtime/redact.ts makes one per run). */
export interface Redactor {
  text(value: string): string;
  excerpt(value: string, limit?: number): string;
}

/** The result of one check on one case. Warnings pass; violations fail; a skip says why nothing was checked. */
export type CheckOutcome =
  | { readonly kind: 'pass'; readonly warnings: readonly Violation[] }
  | { readonly kind: 'fail'; readonly violations: readonly Violation[] }
  | { readonly kind: 'skip'; readonly reason: string };

export interface CheckContext {
  readonly policy: GapPolicy;
  /** The envelope every refusal is judged by (the policy's, or the document's own error schema). */
  readonly envelope: ErrorEnvelope;
  /** --strict: statuses outside the gap policy fail instead of warn. */
  readonly strict: boolean;
  readonly validatorFor: (schema: ResponseContract['schema']) => Validate;
  /** How the document and the policy are named in schema pointers, e.g. "openapi/flashback.yaml". */
  readonly documentLabel: string;
  readonly policyLabel: string;
  /** Every piece of a server's answer quoted in a message goes through it first, before it is cut. */
  readonly redactor: Redactor;
}

const CHECKS_BY_KIND: Readonly<Record<CaseKind, readonly CheckName[]>> = {
  positive: ['status_documented', 'content_type', 'body_schema', 'headers_documented'],
  // A refusal's status is rarely documented, so its body is judged against the gap policy's error envelope.
  negative: ['rejects_invalid', 'status_in_policy', 'error_envelope'],
  auth: ['auth_enforced', 'status_in_policy', 'error_envelope'],
};

/** The checks that apply to a case, in the order they run; the first also reports transport failures. */
export function checksFor(testCase: Pick<JudgedCase, 'kind' | 'rule'>): readonly CheckName[] {
  const checks = CHECKS_BY_KIND[testCase.kind];
  // RFC 9110 section 15.5.6: a 405 lists the path's methods; judged on the cases that send a wrong method.
  return testCase.rule === 'method-not-allowed' ? [...checks.slice(0, 2), 'allow_listed', ...checks.slice(2)] : checks;
}

/** Runs one named check on one exchange. */
export function runCheck(check: CheckName, testCase: JudgedCase, exchange: Exchange, context: CheckContext): CheckOutcome {
  const { response } = exchange;
  if (!response) {
    const [first] = checksFor(testCase);
    if (check !== first) return { kind: 'skip', reason: `no answer to check (${first} reports why)` };
    const code: ViolationCode = exchange.failure?.kind === 'timeout' ? 'TIMEOUT' : 'CONNECTION_FAILED';
    const actual = context.redactor.text(exchange.failure?.message ?? 'no answer');
    return fail({
      code,
      check,
      severity: 'error',
      expected: 'a complete HTTP answer',
      actual,
      message: `${testCase.request.method} ${exchange.request.url} got ${actual}.`,
    });
  }
  switch (check) {
    case 'status_documented':
      return checkStatusDocumented(testCase, response, context);
    case 'content_type':
      return checkContentType(testCase, response, context);
    case 'body_schema':
      return checkBodySchema(testCase, response, context);
    case 'auth_enforced':
      return checkNot2xx('AUTH_NOT_ENFORCED', check, testCase, response, context);
    case 'rejects_invalid':
      return checkNot2xx('INVALID_ACCEPTED', check, testCase, response, context);
    case 'status_in_policy':
      return checkStatusInPolicy(testCase, response, context);
    case 'headers_documented':
      return checkHeaders(testCase, response, context);
    case 'allow_listed':
      return checkAllow(testCase, response);
    case 'error_envelope':
      return checkErrorEnvelope(testCase, response, context);
  }
}

function fail(...violations: Violation[]): CheckOutcome {
  return { kind: 'fail', violations };
}

const pass: CheckOutcome = { kind: 'pass', warnings: [] };

const NOT_DOCUMENTED = "the answer's status is not documented, so the document sets no media type or schema for it";

function responsesPointer(testCase: JudgedCase, context: CheckContext): string {
  return `${context.documentLabel}#${testCase.operation?.pointer ?? ''}/responses`;
}

function checkStatusDocumented(testCase: JudgedCase, response: RecordedResponse, context: CheckContext): CheckOutcome {
  if (testCase.operation && responsesFor(testCase.operation, response.status).length > 0) return pass;
  const documented = testCase.operation ? documentedKeys(testCase.operation) : [];
  return fail({
    code: 'STATUS_UNDOCUMENTED',
    check: 'status_documented',
    severity: 'error',
    schemaPointer: responsesPointer(testCase, context),
    expected: `one of ${documented.join(', ')}`,
    actual: String(response.status),
    message: `Your server answered ${response.status} to a valid request; the contract allows only ${documented.join(', ')} for ${label(testCase)}.`,
  });
}

/** The documented response for the answer's status, preferring the one whose media type the answer declares. */
function documentedResponse(testCase: JudgedCase, response: RecordedResponse): ResponseContract | undefined {
  if (!testCase.operation) return undefined;
  const candidates = responsesFor(testCase.operation, response.status);
  const declared = mediaTypeOf(response.headers['content-type']);
  return (
    candidates.find((r) => r.contentType !== undefined && mediaTypeOf(r.contentType) === declared) ??
    candidates.find((r) => r.contentType !== undefined && rangeMatches(r.contentType, declared)) ??
    candidates[0]
  );
}

function checkContentType(testCase: JudgedCase, response: RecordedResponse, context: CheckContext): CheckOutcome {
  const documented = documentedResponse(testCase, response);
  if (!documented) return { kind: 'skip', reason: NOT_DOCUMENTED };
  // A status documented without content has no media type to hold; its body, if any, is body_schema's finding.
  if (documented.contentType === undefined) return pass;
  const actual = mediaTypeOf(response.headers['content-type']);
  if (actual !== undefined && rangeMatches(documented.contentType, actual)) return pass;
  return fail({
    code: 'CONTENT_TYPE_MISMATCH',
    check: 'content_type',
    severity: 'error',
    schemaPointer: `${responsesPointer(testCase, context)}/${documented.key}/content`,
    expected: documented.contentType,
    actual: shownContentType(response, context),
    message: `Status ${response.status} must come as ${documented.contentType}; the Content-Type was ${shownContentType(response, context)}.`,
  });
}

function checkBodySchema(testCase: JudgedCase, response: RecordedResponse, context: CheckContext): CheckOutcome {
  const documented = documentedResponse(testCase, response);
  if (!documented) return { kind: 'skip', reason: NOT_DOCUMENTED };
  const schemaPointer = `${context.documentLabel}#${documented.schemaPointer}`;
  if (documented.contentType === undefined) {
    // A client's parser drops the content of a 204 (RFC 9110 section 15.3.5), so what announces one counts too:
    // a Content-Length above 0 (RFC 9110 section 8.6) or a Transfer-Encoding (RFC 9112 section 6.1).
    const announced = Number(response.headers['content-length'] ?? 0);
    const chunked = response.headers['transfer-encoding'] !== undefined;
    if (response.body === '' && !response.truncated && !(announced > 0) && !chunked) return pass;
    const actual =
      response.body !== ''
        ? JSON.stringify(context.redactor.excerpt(response.body))
        : announced > 0
          ? `Content-Length: ${announced}`
          : `Transfer-Encoding: ${context.redactor.excerpt(response.headers['transfer-encoding'] ?? '')}`;
    return fail({
      code: 'BODY_UNEXPECTED',
      check: 'body_schema',
      severity: 'error',
      pointer: '',
      schemaPointer,
      expected: 'no body',
      actual,
      message: `The ${response.status} answer must have no body, as the document gives it no content; it came with ${actual}.`,
    });
  }
  if (response.truncated) {
    return fail({
      code: 'BODY_TOO_LARGE',
      check: 'body_schema',
      severity: 'error',
      pointer: '',
      schemaPointer,
      expected: 'a body of at most 1 MiB',
      actual: 'a larger body, cut off at 1 MiB',
      message: `The ${response.status} body is larger than 1 MiB; the suite read 1 MiB of it and stopped.`,
    });
  }
  const asText = mediaTypeOf(documented.contentType) === 'text/plain';
  if (!asText && !isJsonMediaType(documented.contentType)) {
    return { kind: 'skip', reason: `not judged: the kit does not parse ${documented.contentType} bodies` };
  }
  const parsed: ParsedBody = asText ? { kind: 'json', value: response.body } : parseBody(response, context);
  if (parsed.kind === 'not-json') {
    return fail({
      code: 'BODY_NOT_JSON',
      check: 'body_schema',
      severity: 'error',
      pointer: '',
      schemaPointer,
      expected: 'a JSON document',
      actual: parsed.excerpt,
      message: `The ${response.status} body does not parse as JSON (${parsed.reason}); it reads ${parsed.excerpt}.`,
    });
  }
  const errors = context.validatorFor(documented.schema)(parsed.value);
  if (errors.length === 0) return pass;
  return fail(
    ...errors.map((error) => ({
      code: 'BODY_SCHEMA_MISMATCH' as const,
      check: 'body_schema' as const,
      severity: 'error' as const,
      ...schemaFinding(error, parsed.value, schemaPointer, `The ${response.status} body`, context),
    })),
  );
}

type ParsedBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'not-json'; readonly reason: string; readonly excerpt: string };

function parseBody(response: RecordedResponse, context: CheckContext): ParsedBody {
  try {
    return { kind: 'json', value: JSON.parse(response.body) };
  } catch (error) {
    // V8's message quotes the body it could not parse, so it is redacted like the body itself.
    return {
      kind: 'not-json',
      reason: context.redactor.excerpt((error as Error).message, 120),
      excerpt: JSON.stringify(context.redactor.excerpt(response.body)),
    };
  }
}

/** Where, what was expected and what came, for one schema error in a parsed body. */
function schemaFinding(
  error: SchemaError,
  body: unknown,
  schemaPointer: string,
  subject: string,
  context: CheckContext,
): Pick<Violation, 'pointer' | 'schemaPointer' | 'expected' | 'actual' | 'message'> {
  const actualValue = resolvePointer(body, error.instancePath);
  const actual = context.redactor.excerpt(JSON.stringify(actualValue) ?? 'nothing');
  return {
    pointer: error.instancePath,
    schemaPointer: `${schemaPointer}${error.schemaPath.replace(/^#/, '')}`,
    expected: expectation(error),
    actual,
    message: `${subject} ${describeSchemaError(error)}; got ${actual}.`,
  };
}

function shownContentType(response: RecordedResponse, context: CheckContext): string {
  const type = response.headers['content-type'];
  return type === undefined ? '(no Content-Type header)' : JSON.stringify(context.redactor.excerpt(type));
}

function expectation(error: SchemaError): string {
  switch (error.keyword) {
    case 'type':
      return String(error.params.type);
    case 'enum':
      return `one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `a property "${String(error.params.missingProperty)}"`;
    case 'additionalProperties':
      return `no property "${String(error.params.additionalProperty)}"`;
    default:
      return error.message;
  }
}

function checkNot2xx(
  code: 'AUTH_NOT_ENFORCED' | 'INVALID_ACCEPTED',
  check: CheckName,
  testCase: JudgedCase,
  response: RecordedResponse,
  context: CheckContext,
): CheckOutcome {
  if (response.status < 200 || response.status >= 300) return pass;
  const rule = testCase.rule ? context.policy.rules[testCase.rule] : undefined;
  const allowed = rule ? `${rule.allowedStatuses.join(' or ')} (gap policy rule ${rule.id})` : 'a 4xx';
  return fail({
    code,
    check,
    severity: 'error',
    ...(rule ? { schemaPointer: `${context.policyLabel}#${rule.pointer}` } : {}),
    expected: `not a 2xx; ${allowed}`,
    actual: String(response.status),
    message: `${VIOLATIONS[code].title}: ${response.status}, where the gap policy asks for ${allowed}.`,
  });
}

function checkStatusInPolicy(testCase: JudgedCase, response: RecordedResponse, context: CheckContext): CheckOutcome {
  if (response.status >= 200 && response.status < 300) {
    return { kind: 'skip', reason: `a 2xx is a failure of ${checksFor(testCase)[0]}, not a question of which status` };
  }
  const rule = testCase.rule ? context.policy.rules[testCase.rule] : undefined;
  // A documented error status (a 500, a 4XX range, default) is a fair answer to anything; a documented 2xx never is
  // to a bad request.
  const documentedErrors = (testCase.operation ? documentedKeys(testCase.operation) : []).filter((key) => !/^2/.test(key));
  const documentedHere = documentedErrors.some(
    (key) =>
      key === String(response.status) ||
      key.toUpperCase() === `${Math.floor(response.status / 100)}XX` ||
      (key === 'default' && response.status >= 400),
  );
  const allowed = [...new Set([...(rule?.allowedStatuses ?? []).map(String), ...documentedErrors])];
  if (documentedHere || rule?.allowedStatuses.includes(response.status)) return pass;
  const severity = policySeverity(context);
  const violation: Violation = {
    code: 'STATUS_OUTSIDE_POLICY',
    check: 'status_in_policy',
    severity,
    ...(rule ? { schemaPointer: `${context.policyLabel}#${rule.pointer}/allowedStatuses` } : {}),
    expected: `one of ${allowed.join(', ')}`,
    actual: String(response.status),
    message: `${rule ? `${rule.when} ` : ''}Your server answered ${response.status}; the contract and its gap policy allow ${allowed.join(', ')} here.`,
  };
  return byPolicySeverity([violation]);
}

/** Severity of the gap policy's own rules: a warning unless --strict (or the policy) makes it a failure. */
function policySeverity(context: CheckContext): Violation['severity'] {
  return context.strict || context.policy.outsidePolicyStatus === 'fail' ? 'error' : 'warning';
}

function byPolicySeverity(violations: Violation[]): CheckOutcome {
  if (violations.length === 0) return pass;
  return violations.some((v) => v.severity === 'error') ? fail(...violations) : { kind: 'pass', warnings: violations };
}

/** A refusal must come in the error envelope (the gap policy's, or the document's own): frontends read it. */
function checkErrorEnvelope(testCase: JudgedCase, response: RecordedResponse, context: CheckContext): CheckOutcome {
  if (response.status >= 200 && response.status < 300) {
    return { kind: 'skip', reason: `a 2xx is a failure of ${checksFor(testCase)[0]}, not a refusal to judge` };
  }
  const { schema: envelopeSchema, schemaPointer: envelopePointer = '', flagProperty, messageProperty } = context.envelope;
  if (!envelopeSchema) {
    return {
      kind: 'skip',
      reason: 'not judged: neither the gap policy nor the document names an error schema for refusals',
    };
  }
  const envelope =
    flagProperty && messageProperty
      ? `{"${flagProperty}": false, "${messageProperty}": "…"}`
      : `(the document's error schema at ${context.documentLabel}${envelopePointer})`;
  const schemaPointer = `${context.documentLabel}#${envelopePointer.replace(/^#/, '')}`;
  const severity = policySeverity(context);
  const subject = `The ${response.status} refusal`;
  const base = { code: 'ERROR_ENVELOPE_MISMATCH' as const, check: 'error_envelope' as const, severity };
  if (!isJsonMediaType(response.headers['content-type'])) {
    return byPolicySeverity([
      {
        ...base,
        schemaPointer: `${context.policyLabel}#/errorEnvelope`,
        expected: `application/json with the error envelope ${envelope}`,
        actual: shownContentType(response, context),
        message: `${subject} came as ${shownContentType(response, context)}; the gap policy asks for JSON in the error envelope ${envelope}.`,
      },
    ]);
  }
  if (response.truncated) {
    return byPolicySeverity([
      {
        ...base,
        pointer: '',
        schemaPointer,
        expected: `the error envelope ${envelope}, well under 1 MiB`,
        actual: 'a body larger than 1 MiB, cut off there',
        message: `${subject}'s body is larger than 1 MiB, too large to check; an error envelope is a sentence long.`,
      },
    ]);
  }
  const parsed = parseBody(response, context);
  if (parsed.kind === 'not-json') {
    return byPolicySeverity([
      {
        ...base,
        pointer: '',
        schemaPointer,
        expected: `the error envelope ${envelope}`,
        actual: parsed.excerpt,
        message: `${subject} does not parse as JSON (${parsed.reason}); it reads ${parsed.excerpt}.`,
      },
    ]);
  }
  const violations: Violation[] = context
    .validatorFor(envelopeSchema)(parsed.value)
    .map((error) => ({ ...base, ...schemaFinding(error, parsed.value, schemaPointer, subject, context) }));
  const body = parsed.value !== null && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
  const properties: [string, string, boolean][] = [];
  // Only a policy names the properties a refusal must fill; a document's own error schema is judged as a schema.
  if (context.envelope.decidedBy !== 'policy') return byPolicySeverity(violations);
  if (flagProperty) properties.push([flagProperty, 'false', body[flagProperty] === false]);
  if (messageProperty) {
    properties.push([messageProperty, 'a string that says what went wrong', typeof body[messageProperty] === 'string']);
  }
  for (const [property, wanted, ok] of properties) {
    if (ok || violations.some((v) => v.pointer === `/${property}`)) continue;
    const actual = context.redactor.excerpt(JSON.stringify(body[property]) ?? 'nothing');
    violations.push({
      ...base,
      pointer: `/${property}`,
      schemaPointer: `${context.policyLabel}#/errorEnvelope/${property === flagProperty ? 'flagProperty' : 'messageProperty'}`,
      expected: wanted,
      actual,
      message: `${subject} at /${property} must be ${wanted}, as the gap policy's error envelope ${envelope} says; got ${actual}.`,
    });
  }
  return byPolicySeverity(violations);
}

function label(testCase: JudgedCase): string {
  return testCase.operation ? operationLabel(testCase.operation) : `${testCase.request.method} ${testCase.request.path}`;
}

/** The documented response headers: each required one present, each present one valid for its schema. */
function checkHeaders(testCase: JudgedCase, response: RecordedResponse, context: CheckContext): CheckOutcome {
  const documented = documentedResponse(testCase, response);
  if (!documented) return { kind: 'skip', reason: NOT_DOCUMENTED };
  const violations: Violation[] = [];
  const base = `${responsesPointer(testCase, context)}/${documented.key}/headers`;
  for (const header of documented.headers) {
    const value = response.headers[header.name];
    if (value === undefined) {
      if (!header.required) continue;
      violations.push({
        code: 'HEADER_MISSING',
        check: 'headers_documented',
        severity: 'error',
        schemaPointer: `${base}/${header.name}`,
        expected: `a ${header.name} header`,
        actual: 'none',
        message: `The ${response.status} answer to ${label(testCase)} must carry a ${header.name} header, as the document marks it required; it has none.`,
      });
      continue;
    }
    const typed = readHeaderValue(value, header.schema);
    for (const error of context.validatorFor(header.schema)(typed)) {
      const actual = JSON.stringify(context.redactor.excerpt(value));
      violations.push({
        code: 'HEADER_SCHEMA_MISMATCH',
        check: 'headers_documented',
        severity: 'error',
        schemaPointer: `${context.documentLabel}#${header.schemaPointer}${error.schemaPath.replace(/^#/, '')}`,
        expected: expectation(error),
        actual,
        message: `The ${response.status} answer's ${header.name} header ${describeSchemaError(error).replace(/^at the root /, '')}; got ${actual}.`,
      });
    }
  }
  return violations.length > 0 ? fail(...violations) : pass;
}

/** RFC 9110 section 15.5.6: a 405 carries Allow with the methods the path has. */
function checkAllow(testCase: JudgedCase, response: RecordedResponse): CheckOutcome {
  if (response.status !== 405)
    return { kind: 'skip', reason: `only a 405 must list the allowed methods; it got ${response.status}` };
  if (response.headers.allow !== undefined) return pass;
  return fail({
    code: 'ALLOW_MISSING',
    check: 'allow_listed',
    severity: 'error',
    expected: 'an Allow header listing the methods of the path',
    actual: 'no Allow header',
    message: `The 405 answer to ${testCase.request.method} ${testCase.request.path} has no Allow header; RFC 9110 section 15.5.6 requires one.`,
  });
}
