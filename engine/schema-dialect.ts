// OpenAPI 3.0 schemas are not JSON Schema 2020-12: `nullable` adds null to the type, and exclusiveMinimum and
// exclusiveMaximum are booleans that modify minimum and maximum (OpenAPI 3.0.3 section 4.7.24.1). The engine
// validates every schema with one 2020-12 Ajv, so a 3.0 schema is rewritten once, keeping its shape (and its
// cycles, for a dereferenced recursive schema) so that schema paths still read as the document's pointers.
import type { SchemaObject } from './contract.ts';

const converted = new WeakMap<object, SchemaObject>();

/** The schema as JSON Schema 2020-12: unchanged for OpenAPI 3.1, rewritten once for 3.0. */
export function schemaFor(schema: unknown, dialect: '3.0' | '3.1'): SchemaObject {
  if (schema === null || typeof schema !== 'object') return {};
  if (dialect === '3.1') return schema as SchemaObject;
  return convert(schema as Record<string, unknown>);
}

/** Keywords whose value is a schema, a list of schemas, or a map of schemas (JSON Schema 2020-12 applicators). */
const ONE_SCHEMA = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);

function convert(schema: Record<string, unknown>): SchemaObject {
  const known = converted.get(schema);
  if (known) return known;
  const result: Record<string, unknown> = {};
  // Registered before the children: a recursive schema meets itself again and gets this same object.
  converted.set(schema, result);
  for (const [key, value] of Object.entries(schema)) {
    if (ONE_SCHEMA.has(key) && value !== null && typeof value === 'object')
      result[key] = convert(value as Record<string, unknown>);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) result[key] = value.map((item) => convertAny(item));
    else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      result[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, convertAny(child)]));
    } else if (key !== 'nullable' && key !== 'exclusiveMinimum' && key !== 'exclusiveMaximum') result[key] = value;
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    const value = schema[flag];
    if (value === true && typeof schema[bound] === 'number') {
      result[flag] = schema[bound];
      delete result[bound];
    } else if (typeof value === 'number') result[flag] = value;
  }
  if (schema.nullable === true) {
    if (typeof schema.type === 'string') result.type = [schema.type, 'null'];
    else if (Array.isArray(schema.type) && !schema.type.includes('null')) result.type = [...schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
  }
  return result;
}

function convertAny(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? convert(value as Record<string, unknown>) : value;
}

type Direction = 'request' | 'response';

const directed: Record<Direction, WeakMap<object, SchemaObject>> = { request: new WeakMap(), response: new WeakMap() };

/**
 * The schema as one direction reads it (OpenAPI 3.1 section 4.8.24.4, 3.0 section 4.7.24.1): a required readOnly
 * property is required of responses only, a required writeOnly one of requests only. Unchanged (the same object,
 * so pointers and compiled validators stay) when the schema marks nothing readOnly or writeOnly.
 */
export function forDirection(schema: SchemaObject, direction: Direction): SchemaObject {
  const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
  return marks(schema, flag, new WeakSet()) ? rewrite(schema, flag, directed[direction]) : schema;
}

function marks(node: unknown, flag: string, seen: WeakSet<object>): boolean {
  if (node === null || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  return Object.entries(node).some(([key, value]) => (key === flag && value === true) || marks(value, flag, seen));
}

function rewrite(node: SchemaObject, flag: string, memo: WeakMap<object, SchemaObject>): SchemaObject {
  const known = memo.get(node);
  if (known) return known;
  const result: Record<string, unknown> = {};
  // Registered before the children, as in convert(): a recursive schema meets itself again and gets this object.
  memo.set(node, result);
  const properties =
    node.properties !== null && typeof node.properties === 'object' ? (node.properties as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' && Array.isArray(value)) {
      result[key] = value.filter((name) => (properties[String(name)] as Record<string, unknown> | undefined)?.[flag] !== true);
    } else if (Array.isArray(value)) {
      result[key] = value.map((item) =>
        item !== null && typeof item === 'object' && !Array.isArray(item) ? rewrite(item as SchemaObject, flag, memo) : item,
      );
    } else if (
      value !== null &&
      typeof value === 'object' &&
      key !== 'example' &&
      key !== 'examples' &&
      key !== 'enum' &&
      key !== 'const' &&
      key !== 'default'
    ) {
      result[key] = rewrite(value as SchemaObject, flag, memo);
    } else result[key] = value;
  }
  return result;
}
