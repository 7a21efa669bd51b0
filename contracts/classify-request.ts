import type { Contract, OperationContract } from '../openapi/contract.ts';
import type { GapPolicy, GapRuleId } from '../openapi/load-gap-policy.ts';
import { mediaTypeOf } from '../openapi/media-type.ts';
import { routeOperation } from '../openapi/route-operation.ts';
import type { CaseKind } from './build-cases.ts';
import { describeSchemaError, type SchemaError, type Validate } from './compile-validators.ts';

/** A request as it was seen on the wire, for judging what kind of case it is. */
export interface SeenRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as read, up to a limit; `size` counts every byte that came. */
  readonly body: { readonly text: string; readonly size: number };
}

/** What a request is, in the suite's terms: which case it would be, and under which gap-policy rule. */
export type Classification =
  | { readonly kind: 'unrouted'; readonly rule: 'unknown-path' | 'method-not-allowed'; readonly problem: string }
  | {
      readonly kind: CaseKind;
      readonly operation: OperationContract;
      /** The rule a refused request falls under; none for a valid request. */
      readonly rule?: GapRuleId;
      /** What is wrong with the request, one phrase each (schema errors with their pointers). */
      readonly problems: readonly string[];
      /** For invalid bodies: the schema keywords that failed. */
      readonly schemaErrors: readonly SchemaError[];
    };

/**
 * Decides what a request is, in the order a conforming server checks it: route, credentials (RFC 6750),
 * size, body presence, media type, JSON, schema. The reference implementation answers by it, and the proxy
 * judges an observed exchange by it, so both read a request the way the suite builds one.
 */
export function classifyRequest(
  contract: Contract,
  policy: GapPolicy,
  validatorFor: (schema: OperationContract['responses'][number]['schema']) => Validate,
  request: SeenRequest,
): Classification {
  const route = routeOperation(contract.operations, request.method, request.path);
  if (route.kind === 'no-path')
    return { kind: 'unrouted', rule: 'unknown-path', problem: `no operation is documented at ${request.path}` };
  if (route.kind === 'no-method') {
    return {
      kind: 'unrouted',
      rule: 'method-not-allowed',
      problem: `${request.path} documents only ${route.allowed.join(', ')}, not ${request.method.toUpperCase()}`,
    };
  }
  const { operation } = route;
  const refused = (
    kind: CaseKind,
    rule: GapRuleId,
    problem: string,
    schemaErrors: readonly SchemaError[] = [],
  ): Classification => ({
    kind,
    operation,
    rule,
    problems: [problem],
    schemaErrors,
  });
  if (operation.requiresBearer) {
    const authorization = header(request.headers, 'authorization');
    if (authorization === undefined) return refused('auth', 'missing-credentials', 'it has no Authorization header');
    if (!/^bearer +\S+$/i.test(authorization)) {
      return refused('auth', 'invalid-credentials', 'its Authorization header is not "Bearer" followed by a token');
    }
  }
  const body = operation.requestBody;
  if (!body) return { kind: 'positive', operation, problems: [], schemaErrors: [] };
  if (request.body.size > policy.maxRequestBodyBytes) {
    return refused('negative', 'body-too-large', `its body is larger than ${policy.maxRequestBodyBytes} bytes`);
  }
  if (request.body.size === 0) {
    return body.required
      ? refused('negative', 'missing-body', 'it has no body')
      : { kind: 'positive', operation, problems: [], schemaErrors: [] };
  }
  const contentType = header(request.headers, 'content-type');
  if (mediaTypeOf(contentType) !== body.contentType.toLowerCase()) {
    return refused(
      'negative',
      'unsupported-media-type',
      `its Content-Type is ${contentType === undefined ? 'missing' : `"${contentType}"`}, not ${body.contentType}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(request.body.text);
  } catch {
    return refused('negative', 'malformed-json', 'its body does not parse as JSON');
  }
  const errors = validatorFor(body.schema)(value);
  if (errors.length > 0) {
    return refused(
      'negative',
      'invalid-body',
      errors.map((error) => `its body ${describeSchemaError(error)}`).join('; '),
      errors,
    );
  }
  return { kind: 'positive', operation, problems: [], schemaErrors: [] };
}

function header(headers: SeenRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
