// The suite's cases, derived from the document, one family of negative cases per stage of the pipeline. Pure and
// browser-safe: the suite sends these cases, and the mock's index page shows one per rule as a snippet to copy.
import type { CaseKind } from './checks/find-violations.ts';
import { validatorCache } from './compile-validators.ts';
import type {
  Contract,
  OperationContract,
  ParameterContract,
  SchemaObject,
  SecurityContract,
  SecuritySchemeContract,
} from './contract.ts';
import { operationLabel } from './contract.ts';
import { applyCredentials, setCredential } from './credentials.ts';
import type { GapPolicy, GapRuleId } from './gap-policy.ts';
import { isJsonMediaType } from './media-type.ts';
import { judgeRequest } from './pipeline.ts';
import type { EngineRequest } from './request.ts';
import type { EngineContext, StageName } from './stages/stage.ts';
import { isPlainObject, MAX_SCHEMA_DEPTH, schemaTypes, validValue } from './valid-value.ts';

export interface RequestPlan {
  readonly method: string;
  /** The path with its parameters filled in, and the query string if any ("/projects?limit=1"). */
  readonly path: string;
  /** Whether to add the run's credentials for `security`; cases about credentials set their own instead. */
  readonly withCredentials: boolean;
  readonly security: SecurityContract;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes to send, or none. */
  readonly body?: string;
  /** Bytes to write on a raw socket instead of an HTTP request (a malformed request no client library sends). */
  readonly raw?: string;
}

export interface ContractCase {
  /** Unique and stable across runs, e.g. "POST /mfa/enable › negative › mfaType as number". */
  readonly id: string;
  readonly kind: CaseKind;
  /** None for a request no operation owns (an unknown path, a malformed request). */
  readonly operation?: OperationContract;
  readonly request: RequestPlan;
  /** The gap-policy rule for the situation a negative or auth case creates, as the engine's pipeline reads it. */
  readonly rule?: GapRuleId;
  /** The pipeline stage whose family the case belongs to. */
  readonly stage?: StageName;
  /** Set when no valid request could be built: why, as a skip note. Such a case is never sent. */
  readonly unbuildable?: string;
  /**
   * The request could change state on the server: a valid request, or one that a lenient server could read as
   * valid (the valid body under another Content-Type, an enum value in another case, a wrong method). Never sent
   * with the real credentials to a host outside loopback unless mutations are allowed.
   */
  readonly mutates: boolean;
}

const WRONG_VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ['string', 'not-a-valid-value'],
  ['number', 12345],
  ['boolean', true],
  ['null', null],
  ['array', []],
  ['object', {}],
];

/** What stands in for a credential while the builder asks the pipeline what a planned request is. */
const STAND_IN = 'contract-kit-stand-in';

/**
 * Derives every case from the document: nothing here knows an operation, a property or an enum value. Each
 * negative case is read back through the engine's own pipeline, so its rule is the one the mock, the proxy and
 * the reference server give it, and a case that the pipeline would accept is never sent as a negative.
 */
export function buildCases(contract: Contract, policy: GapPolicy): ContractCase[] {
  const context: EngineContext = { contract, policy, validatorFor: validatorCache() };
  const cases = contract.operations.flatMap((operation) => casesFor(context, operation, 'all'));
  cases.push(...contractWideCases(context));
  return cases;
}

/** The first valid request of the first operation, as buildCases makes it: what the mock's try line shows. */
export function firstValidCase(contract: Contract, policy: GapPolicy): ContractCase | undefined {
  const [operation] = contract.operations;
  return operation ? casesFor({ contract, policy, validatorFor: validatorCache() }, operation, 'valid')[0] : undefined;
}

/** What the pipeline makes of a plan, with stand-in credentials: undefined when it accepts it. */
function ruleOf(context: EngineContext, plan: RequestPlan): { rule: GapRuleId; stage: StageName; sentence: string } | undefined {
  const url = new URL(plan.path, 'http://contract.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(plan.headers)) headers[name.toLowerCase()] = value;
  if (plan.withCredentials) applyCredentials(plan.security, standInFor, { headers, query: url.searchParams });
  const request: EngineRequest = {
    method: plan.method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body:
      plan.body === undefined
        ? { kind: 'none' }
        : { kind: 'read', text: plan.body, size: new TextEncoder().encode(plan.body).length },
  };
  const verdict = judgeRequest(context, request);
  return verdict.kind === 'refused'
    ? { rule: verdict.refusal.rule, stage: verdict.refusal.stage, sentence: verdict.refusal.problem }
    : undefined;
}

function standInFor(scheme: SecuritySchemeContract): string {
  return scheme.kind === 'basic' ? `${STAND_IN}:${STAND_IN}` : STAND_IN;
}

/** The path template with each path parameter filled from its example, default or schema. */
function fillPath(operation: OperationContract, override?: { name: string; value: string }): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    if (override?.name === name) return encodeURIComponent(override.value);
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    return encodeURIComponent(serialize(parameter ? parameterValue(parameter) : 'id'));
  });
}

function parameterValue(parameter: ParameterContract): unknown {
  return validValue(parameter.schema, parameter.example);
}

/** A value as a parameter carries it in style simple or form without explode: arrays and objects comma-joined. */
function serialize(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(',');
  if (isPlainObject(value)) return Object.entries(value).flat().map(String).join(',');
  return String(value);
}

interface ParameterSet {
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  readonly cookies: string[];
}

/** The required query, header and cookie parameters, with valid values; `skip` leaves one out, `change` sets one. */
function requiredParameters(
  operation: OperationContract,
  skip?: ParameterContract,
  change?: { parameter: ParameterContract; value: string },
): ParameterSet {
  const set: ParameterSet = { query: new URLSearchParams(), headers: {}, cookies: [] };
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path' || parameter === skip) continue;
    const changed = change?.parameter === parameter ? change.value : undefined;
    if (!parameter.required && changed === undefined) continue;
    const value = changed ?? serialize(parameterValue(parameter));
    if (parameter.in === 'query') {
      const raw = changed === undefined ? parameterValue(parameter) : undefined;
      if (Array.isArray(raw) && parameter.explode) for (const item of raw) set.query.append(parameter.name, String(item));
      else if (isPlainObject(raw) && parameter.style === 'deepObject') {
        for (const [key, item] of Object.entries(raw)) set.query.append(`${parameter.name}[${key}]`, String(item));
      } else if (isPlainObject(raw) && parameter.explode) {
        // Form, exploded: each property is a query parameter of its own (?role=admin&firstName=Alex).
        for (const [key, item] of Object.entries(raw)) set.query.append(key, String(item));
      } else set.query.append(parameter.name, value);
    } else if (parameter.in === 'header') set.headers[parameter.name] = value;
    else set.cookies.push(`${parameter.name}=${encodeURIComponent(value)}`);
  }
  return set;
}

function withQuery(path: string, query: URLSearchParams): string {
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

function casesFor(context: EngineContext, operation: OperationContract, families: 'all' | 'valid'): ContractCase[] {
  const label = operationLabel(operation);
  const body = operation.requestBody;
  const accept = acceptFor(operation);
  const baseParameters = requiredParameters(operation);
  const baseHeaders = (extra: Record<string, string> = {}, parameters = baseParameters): Record<string, string> => ({
    ...(body ? { 'content-type': body.contentType } : {}),
    ...(accept ? { accept } : {}),
    ...parameters.headers,
    ...(parameters.cookies.length > 0 ? { cookie: parameters.cookies.join('; ') } : {}),
    ...extra,
  });
  const bodyText = (value: unknown): string | undefined =>
    value === undefined
      ? undefined
      : typeof value === 'string' && !isJsonMediaType(body?.contentType)
        ? value
        : JSON.stringify(value);
  const plan = (value: unknown, overrides: Partial<RequestPlan> = {}): RequestPlan => {
    const text = bodyText(value);
    return {
      method: operation.method.toUpperCase(),
      path: withQuery(fillPath(operation), baseParameters.query),
      withCredentials: true,
      security: operation.security,
      headers: baseHeaders(),
      ...(text === undefined ? {} : { body: text }),
      ...overrides,
    };
  };
  const cases: ContractCase[] = [];
  const seen = new Set<string>();
  const add = (kind: CaseKind, name: string, request: RequestPlan, lenientlyValid = false): void => {
    // A long body stands in the key by its length and ends: no two cases differ only inside a megabyte.
    const long = request.body !== undefined && request.body.length > 4096;
    const key = JSON.stringify(
      long ? { ...request, body: `${request.body?.length}:${request.body?.slice(0, 64)}:${request.body?.slice(-64)}` } : request,
    );
    // e.g. "{}" and "missing x" are one request when x is the only property; a valid request is sent per example.
    if (kind !== 'positive' && seen.has(key)) return;
    const judged = ruleOf(context, request);
    if (kind === 'positive' && judged) {
      // No valid request could be built (a required parameter with a pattern and no example, say): listed, with
      // why, and never sent, since a conforming server would refuse it and be blamed for that.
      cases.push({
        id: `${label} › ${kind} › ${name}`,
        kind,
        operation,
        request,
        mutates: true,
        unbuildable: `not judged: the kit could not build a valid request for ${label} (${judged.sentence}); give the parameter or body an example in the document`,
      });
      return;
    }
    if (kind !== 'positive' && !judged) {
      // A negative case must be refused by the contract, or a conforming server would be blamed for accepting it.
      return;
    }
    seen.add(key);
    cases.push({
      id: `${label} › ${kind} › ${name}`,
      kind: judged?.stage === 'security' ? 'auth' : kind,
      operation,
      request,
      mutates: kind === 'positive' || lenientlyValid,
      ...(judged ? { rule: judged.rule, stage: judged.stage } : {}),
    });
  };

  const valid = body ? validValue(body.schema, body.examples[0]?.value) : undefined;
  // Positive: one request per enum value, wherever the enum sits in the body, then each request example.
  if (body && isJsonMediaType(body.contentType)) {
    for (const property of walkProperties(body.schema)) {
      for (const value of (property.schema.enum as unknown[] | undefined) ?? []) {
        add(
          'positive',
          `${describePath(property.path)}=${JSON.stringify(value)}`,
          plan(setAt(withParents(valid, property), property.path, value)),
        );
      }
    }
    // An example written before a property became required gets it filled in, as the enum cases do.
    for (const example of body.examples) add('positive', `example ${example.name}`, plan(validValue(body.schema, example.value)));
    if (cases.length === 0) add('positive', 'valid body', plan(valid));
  } else if (body) {
    add('positive', 'valid body', plan(valid));
  } else {
    add('positive', 'no body', plan(undefined));
  }

  if (families === 'valid') return cases;
  // One family of negative cases per stage of the pipeline, in its order.
  for (const [name, request, lenient] of securityCases(operation, plan(valid))) add('auth', name, request, lenient);
  for (const parameter of operation.parameters) {
    for (const [name, wrong] of wrongParameterValues(context, parameter)) {
      const request =
        parameter.in === 'path'
          ? plan(valid, {
              path: withQuery(fillPath(operation, { name: parameter.name, value: wrong ?? '' }), baseParameters.query),
            })
          : wrong === undefined
            ? planWith(plan(valid), requiredParameters(operation, parameter), baseHeaders)
            : planWith(plan(valid), requiredParameters(operation, undefined, { parameter, value: wrong }), baseHeaders);
      add('negative', `${parameter.in} parameter ${parameter.name} ${name}`, request);
    }
  }
  if (body) {
    add(
      'negative',
      `body over ${context.policy.maxRequestBodyBytes} bytes`,
      plan(undefined, { body: oversized(context.policy.maxRequestBodyBytes) }),
    );
    if (body.required) add('negative', 'no body', plan(undefined));
    // text/plain is what a careless client sends most; a JSON-less operation gets a type no server takes.
    const wrongType = isJsonMediaType(body.contentType) ? 'text/plain' : 'application/x-contract-kit';
    add('negative', `Content-Type ${wrongType}`, plan(valid, { headers: baseHeaders({ 'content-type': wrongType }) }), true);
    if (isJsonMediaType(body.contentType)) {
      add('negative', 'body that is not JSON', plan(undefined, { body: JSON.stringify(valid ?? {}).slice(0, -1) || '{' }));
      add('negative', 'body nested 300 levels deep', plan(undefined, { body: `${'['.repeat(300)}${']'.repeat(300)}` }));
      const addInvalid = (name: string, value: unknown, lenientlyValid = false): void =>
        add('negative', name, plan(value), lenientlyValid);
      if (((body.schema.required as unknown[] | undefined) ?? []).length > 0) addInvalid('empty object {}', {});
      for (const property of walkProperties(body.schema)) {
        const { path, schema, required } = property;
        const around = withParents(valid, property);
        if (required) addInvalid(`missing ${describePath(path)}`, deleteAt(around, path));
        const types = schemaTypes(schema);
        for (const [type, wrong] of WRONG_VALUES) {
          if (types.length > 0 && !types.includes(type) && !(type === 'number' && types.includes('integer'))) {
            addInvalid(`${describePath(path)} as ${type}`, setAt(around, path, wrong));
          }
        }
        const values = (schema.enum as unknown[] | undefined) ?? [];
        const first = values.find((value): value is string => typeof value === 'string');
        if (first !== undefined) {
          addInvalid(`${describePath(path)} unknown value`, setAt(around, path, unknownValue(values, first)));
          const changed = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
          if (!values.includes(changed))
            addInvalid(`${describePath(path)} case-changed ${JSON.stringify(changed)}`, setAt(around, path, changed), true);
        }
      }
    }
  }
  if (accept) {
    add(
      'negative',
      'Accept that excludes every answer',
      plan(valid, { headers: baseHeaders({ accept: 'application/x-contract-kit-none' }) }),
      true,
    );
  }
  return cases;
}

/** The requests no operation owns: an unknown path, a wrong method on each path, a request HTTP cannot parse. */
function contractWideCases(context: EngineContext): ContractCase[] {
  const cases: ContractCase[] = [];
  const [first] = context.contract.operations;
  const security = first?.security ?? [];
  cases.push({
    id: 'unknown path › negative › GET /contract-kit-unknown-path',
    kind: 'negative',
    request: { method: 'GET', path: '/contract-kit-unknown-path', withCredentials: true, security, headers: {} },
    rule: 'unknown-path',
    stage: 'route',
    mutates: false,
  });
  const byPath = new Map<string, OperationContract[]>();
  for (const operation of context.contract.operations)
    byPath.set(operation.path, [...(byPath.get(operation.path) ?? []), operation]);
  for (const [path, operations] of byPath) {
    const documented = new Set(operations.map((operation) => operation.method.toUpperCase()));
    const method = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((candidate) => !documented.has(candidate));
    const [operation] = operations;
    if (!method || !operation) continue;
    cases.push({
      id: `${path} › negative › ${method} (not documented)`,
      kind: 'negative',
      request: { method, path: fillPath(operation), withCredentials: true, security: operation.security, headers: {} },
      rule: 'method-not-allowed',
      stage: 'route',
      // A lenient server could route a wrong method to a handler that changes state.
      mutates: true,
    });
  }
  cases.push({
    id: 'malformed request › negative › a header line without a colon',
    kind: 'negative',
    request: {
      method: 'GET',
      path: '/',
      withCredentials: false,
      security: [],
      headers: {},
      raw: 'GET / HTTP/1.1\r\nHost: contract-kit\r\nThis line has no colon\r\nConnection: close\r\n\r\n',
    },
    rule: 'malformed-request',
    mutates: false,
  });
  return cases;
}

/** A plan with other query, header and cookie parameters. */
function planWith(
  plan: RequestPlan,
  parameters: ParameterSet,
  headersFor: (extra: Record<string, string>, parameters: ParameterSet) => Record<string, string>,
): RequestPlan {
  return {
    ...plan,
    path: withQuery(plan.path.split('?')[0] ?? plan.path, parameters.query),
    headers: headersFor({}, parameters),
  };
}

/** Per scheme: no credentials at all, each credential of an alternative missing or malformed. */
function securityCases(operation: OperationContract, valid: RequestPlan): [string, RequestPlan, boolean][] {
  if (operation.security.length === 0) return [];
  const cases: [string, RequestPlan, boolean][] = [['no credentials', { ...valid, withCredentials: false }, false]];
  for (const alternative of operation.security) {
    for (const scheme of alternative) {
      const others = alternative.filter((other) => other !== scheme);
      for (const [name, value] of malformed(scheme)) {
        const headers: Record<string, string> = { ...valid.headers };
        const query = new URLSearchParams(valid.path.split('?')[1] ?? '');
        for (const other of others) setCredential(other, standInFor(other), { headers, query });
        if (value !== undefined) {
          if (scheme.kind === 'apiKey') setCredential(scheme, value, { headers, query });
          else headers.authorization = value;
        }
        const path = withQuery(valid.path.split('?')[0] ?? valid.path, query);
        // The other credentials of the alternative are stand-ins here: the case is about this one alone.
        cases.push([`${scheme.name}: ${name}`, { ...valid, path, withCredentials: false, headers }, false]);
      }
    }
  }
  return cases;
}

/** Malformed versions of a scheme's credential (undefined: left out while the others are there). */
function malformed(scheme: SecuritySchemeContract): [string, string | undefined][] {
  switch (scheme.kind) {
    case 'bearer':
      // Not "bearer <token>" in lower case: RFC 7235 section 2.1 lets a server accept any case of the scheme.
      return [
        ['empty bearer token', 'Bearer '],
        ['Basic scheme', `Basic ${btoa('contract:suite')}`],
      ];
    case 'basic':
      return [
        ['Basic without user:password', `Basic ${btoa('no-colon')}`],
        ['Bearer scheme', 'Bearer contract-suite'],
      ];
    case 'apiKey':
      return [
        ['empty API key', ''],
        ['API key left out', undefined],
      ];
  }
}

/** Values that break a parameter's schema, each checked by the validator; undefined: the parameter left out. */
function wrongParameterValues(context: EngineContext, parameter: ParameterContract): [string, string | undefined][] {
  const { schema } = parameter;
  const wrong: [string, string | undefined][] = [];
  if (parameter.required && parameter.in !== 'path') wrong.push(['missing', undefined]);
  const types = schemaTypes(schema);
  if (types.length > 0 && !types.includes('string')) wrong.push(['of the wrong type', 'not-a-number']);
  const values = (schema.enum as unknown[] | undefined) ?? [];
  const first = values.find((value): value is string => typeof value === 'string');
  if (first !== undefined) wrong.push(['outside its enum', unknownValue(values, first)]);
  if (typeof schema.maximum === 'number') wrong.push(['above its maximum', String(schema.maximum + 1)]);
  if (typeof schema.minimum === 'number') wrong.push(['below its minimum', String(schema.minimum - 1)]);
  if (typeof schema.maxLength === 'number') wrong.push(['longer than maxLength', 'x'.repeat(schema.maxLength + 1)]);
  if (typeof schema.pattern === 'string') {
    const breaking = ['!', '-', 'x'].find((candidate) => context.validatorFor(schema)(candidate).length > 0);
    if (breaking !== undefined) wrong.push(['breaking its pattern', breaking]);
  }
  return wrong;
}

// A megabyte each: built once per limit, not once per operation and run.
const oversizedBodies = new Map<number, string>();

/** A JSON body one byte over the limit: a string of that length, so that it is JSON all the same. */
function oversized(limit: number): string {
  let body = oversizedBodies.get(limit);
  if (body === undefined) {
    body = JSON.stringify('x'.repeat(limit - 1));
    oversizedBodies.set(limit, body);
  }
  return body;
}

function acceptFor(operation: OperationContract): string | undefined {
  const types = [...new Set(operation.responses.flatMap((response) => (response.contentType ? [response.contentType] : [])))];
  if (types.length === 0) return undefined;
  return types.join(', ');
}

interface PropertyAt {
  readonly path: readonly string[];
  readonly schema: SchemaObject;
  readonly required: boolean;
  /** The schemas of the objects around it, outermost first (the body's own schema excluded). */
  readonly parents: readonly SchemaObject[];
}

/**
 * Every property of an object schema, nested objects included, with its path from the body's root; bounded by
 * MAX_SCHEMA_DEPTH and never entering a schema it is already inside (a self-reference).
 */
function walkProperties(
  schema: SchemaObject,
  prefix: readonly string[] = [],
  inside: ReadonlySet<SchemaObject> = new Set([schema]),
  parents: readonly SchemaObject[] = [],
): PropertyAt[] {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([name, child]) => {
    const path = [...prefix, name];
    const here: PropertyAt = { path, schema: child, required: required.has(name), parents };
    const descend = schemaTypes(child).includes('object') && !inside.has(child) && path.length < MAX_SCHEMA_DEPTH;
    return descend ? [here, ...walkProperties(child, path, new Set([...inside, child]), [...parents, child])] : [here];
  });
}

/** The value with every object around a nested property present (valid), so that a change to it is the only one. */
function withParents(value: unknown, property: PropertyAt): unknown {
  let result = value;
  property.parents.forEach((schema, index) => {
    const at = property.path.slice(0, index + 1);
    if (!isPlainObject(at.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), result))) {
      result = setAt(result, at, validValue(schema, undefined, index + 1));
    }
  });
  return result;
}

function unknownValue(values: readonly unknown[], seed: string): string {
  let candidate = `${seed}_NOT_DOCUMENTED`;
  while (values.includes(candidate)) candidate += '_';
  return candidate;
}

function describePath(path: readonly string[]): string {
  return path.join('.');
}

function setAt(root: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const object = root !== null && typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>) : {};
  return { ...object, [head]: setAt(object[head], rest, value) };
}

function deleteAt(root: unknown, path: readonly string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined || root === null || typeof root !== 'object' || Array.isArray(root)) return root;
  const { [head]: child, ...others } = root as Record<string, unknown>;
  return rest.length === 0 ? others : { ...others, [head]: deleteAt(child, rest) };
}
