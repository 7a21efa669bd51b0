import type { Contract, GapRuleId, OperationContract, SchemaObject } from '../openapi/index.ts';

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
  /** Positive cases change state on the server (they enable MFA). */
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
  const add = (kind: CaseKind, name: string, request: RequestPlan, rule?: GapRuleId): void => {
    cases.push({
      id: `${label} › ${kind} › ${name}`,
      kind,
      operation,
      request,
      mutates: kind === 'positive',
      ...(rule ? { rule } : {}),
    });
  };

  const base = body ? validValue(body.schema, body.examples[0]?.value) : undefined;
  // Positive: one request per enum value, wherever the enum sits in the body, then each request example.
  if (body) {
    for (const { path, schema } of walkProperties(body.schema)) {
      for (const value of (schema.enum as unknown[] | undefined) ?? []) {
        add('positive', `${describePath(path)}=${JSON.stringify(value)}`, plan(setAt(base, path, value)));
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
    );
    const seen = new Set<string>();
    const addInvalid = (name: string, value: unknown): void => {
      const key = JSON.stringify(value);
      if (seen.has(key)) return; // e.g. "{}" and "missing x" are one request when x is the only property
      seen.add(key);
      add('negative', name, plan(value), 'invalid-body');
    };
    if (((body.schema.required as unknown[] | undefined) ?? []).length > 0) addInvalid('empty object {}', {});
    for (const { path, schema, required } of walkProperties(body.schema)) {
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
          addInvalid(`${describePath(path)} case-changed ${JSON.stringify(changed)}`, setAt(base, path, changed));
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
}

/** Every property of an object schema, nested objects included, with its path from the body's root. */
function walkProperties(schema: SchemaObject, prefix: readonly string[] = []): PropertyAt[] {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([name, child]) => {
    const path = [...prefix, name];
    const here: PropertyAt = { path, schema: child, required: required.has(name) };
    return typesOf(child).includes('object') ? [here, ...walkProperties(child, path)] : [here];
  });
}

/** A value valid for the schema: the document's example when there is one, else built from the schema. */
function validValue(schema: SchemaObject, example: unknown): unknown {
  if (isPlainObject(example) && typesOf(schema).includes('object')) {
    // An example written before a property became required still needs it to be valid.
    return { ...(validValue(schema, undefined) as Record<string, unknown>), ...example };
  }
  if (example !== undefined) return example;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const [type] = typesOf(schema);
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(required.map((name) => [name, validValue(properties[name] ?? {}, undefined)]));
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
