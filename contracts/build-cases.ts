import type { Contract, GapRuleId, OperationContract, SchemaObject } from '../openapi/index.ts';
import { validatorCache } from './compile-validators.ts';

/** positive: a valid request; negative: one that breaks the request schema or media type; auth: bad credentials. */
export type CaseKind = 'positive' | 'negative' | 'auth';

export interface RequestPlan {
  readonly method: string;
  readonly path: string;
  /** Whether to send "Authorization: Bearer <token>"; auth cases set their own header instead. */
  readonly sendToken: boolean;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes to send, or none. */
  readonly body?: string;
}

export interface ContractCase {
  /** Unique and stable across runs, e.g. "POST /mfa/enable › negative › mfaType as number". */
  readonly id: string;
  readonly kind: CaseKind;
  readonly operation: OperationContract;
  readonly request: RequestPlan;
  /** The gap-policy rule for the situation a negative or auth case creates. */
  readonly rule?: GapRuleId;
  /**
   * The request could change state on the server: a valid request, or one that a lenient server could read as
   * valid (the valid body under another Content-Type, an enum value in another case). Never sent with the real
   * token to a host outside loopback unless mutations are allowed.
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

/**
 * How deep into nested (and possibly self-referencing) object schemas cases are derived. A recursive schema is
 * a cycle of objects once dereferenced; past this depth, or on meeting a schema again, the walk stops.
 */
export const MAX_SCHEMA_DEPTH = 4;

/** Derives every case from the document: nothing here knows an operation, a property or an enum value. */
export function buildCases(contract: Contract): ContractCase[] {
  return contract.operations.flatMap((operation) => casesFor(operation));
}

function casesFor(operation: OperationContract): ContractCase[] {
  const label = `${operation.method.toUpperCase()} ${operation.path}`;
  const body = operation.requestBody;
  const jsonHeaders = body ? { 'content-type': body.contentType, accept: 'application/json' } : { accept: 'application/json' };
  const plan = (value: unknown, overrides: Partial<RequestPlan> = {}): RequestPlan => ({
    method: operation.method.toUpperCase(),
    path: operation.path,
    sendToken: operation.requiresBearer,
    headers: jsonHeaders,
    ...(value === undefined ? {} : { body: JSON.stringify(value) }),
    ...overrides,
  });
  const cases: ContractCase[] = [];
  const add = (kind: CaseKind, name: string, request: RequestPlan, rule?: GapRuleId, lenientlyValid = false): void => {
    cases.push({
      id: `${label} › ${kind} › ${name}`,
      kind,
      operation,
      request,
      mutates: kind === 'positive' || lenientlyValid,
      ...(rule ? { rule } : {}),
    });
  };

  const valid = body ? validValue(body.schema, body.examples[0]?.value) : undefined;
  const base = valid;
  // Positive: one request per enum value, wherever the enum sits in the body, then each request example.
  if (body) {
    for (const property of walkProperties(body.schema)) {
      for (const value of (property.schema.enum as unknown[] | undefined) ?? []) {
        add(
          'positive',
          `${describePath(property.path)}=${JSON.stringify(value)}`,
          plan(setAt(withParents(base, property), property.path, value)),
        );
      }
    }
    for (const example of body.examples) add('positive', `example ${example.name}`, plan(example.value));
  } else {
    add('positive', 'no body', plan(undefined));
  }

  if (body) {
    if (body.required) add('negative', 'no body', plan(undefined), 'missing-body');
    add('negative', 'body that is not JSON', plan(undefined, { body: JSON.stringify(base).slice(0, -1) }), 'malformed-json');
    add(
      'negative',
      'Content-Type text/plain',
      plan(base, { headers: { 'content-type': 'text/plain', accept: 'application/json' } }),
      'unsupported-media-type',
      true,
    );
    const seen = new Set<string>();
    const isValid = validatorCache()(body.schema);
    const addInvalid = (name: string, value: unknown, lenientlyValid = false): void => {
      const key = JSON.stringify(value);
      if (seen.has(key)) return; // e.g. "{}" and "missing x" are one request when x is the only property
      // A negative case must be invalid, or a conforming server that enables MFA would be blamed for it.
      if (isValid(value).length === 0) return;
      seen.add(key);
      add('negative', name, plan(value), 'invalid-body', lenientlyValid);
    };
    if (((body.schema.required as unknown[] | undefined) ?? []).length > 0) addInvalid('empty object {}', {});
    for (const property of walkProperties(body.schema)) {
      const { path, schema, required } = property;
      const base = withParents(valid, property);
      if (required) addInvalid(`missing ${describePath(path)}`, deleteAt(base, path));
      const types = typesOf(schema);
      for (const [type, wrong] of WRONG_VALUES) {
        if (types.length > 0 && !types.includes(type) && !(type === 'number' && types.includes('integer'))) {
          addInvalid(`${describePath(path)} as ${type}`, setAt(base, path, wrong));
        }
      }
      const values = (schema.enum as unknown[] | undefined) ?? [];
      const first = values.find((value): value is string => typeof value === 'string');
      if (first !== undefined) {
        addInvalid(`${describePath(path)} unknown value`, setAt(base, path, unknownValue(values, first)));
        const changed = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
        if (!values.includes(changed))
          addInvalid(`${describePath(path)} case-changed ${JSON.stringify(changed)}`, setAt(base, path, changed), true);
      }
    }
  }

  if (operation.requiresBearer) {
    // Not "bearer <token>" in lower case: RFC 7235 section 2.1 lets a server accept any case of the scheme.
    add('auth', 'no Authorization header', plan(base, { sendToken: false }), 'missing-credentials');
    add(
      'auth',
      'empty bearer token',
      plan(base, { sendToken: false, headers: { ...jsonHeaders, authorization: 'Bearer ' } }),
      'invalid-credentials',
    );
    add(
      'auth',
      'Basic scheme',
      plan(base, {
        sendToken: false,
        headers: { ...jsonHeaders, authorization: `Basic ${Buffer.from('contract:suite').toString('base64')}` },
      }),
      'invalid-credentials',
    );
  }
  return cases;
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
    const descend = typesOf(child).includes('object') && !inside.has(child) && path.length < MAX_SCHEMA_DEPTH;
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

/**
 * A value valid for the schema: the document's example when there is one, else built from the schema. A required
 * self-reference has no finite valid value; the walk stops at MAX_SCHEMA_DEPTH and the validator then says so.
 */
function validValue(schema: SchemaObject, example: unknown, depth = 0): unknown {
  if (isPlainObject(example) && typesOf(schema).includes('object')) {
    // An example written before a property became required still needs it to be valid.
    return { ...(validValue(schema, undefined, depth) as Record<string, unknown>), ...example };
  }
  if (example !== undefined) return example;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const [type] = typesOf(schema);
  switch (type) {
    case 'object': {
      if (depth >= MAX_SCHEMA_DEPTH) return {};
      const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(required.map((name) => [name, validValue(properties[name] ?? {}, undefined, depth + 1)]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'text';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typesOf(schema: SchemaObject): string[] {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
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
