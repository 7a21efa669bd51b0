// A value that a schema accepts, for the suite's valid requests, path parameters and refusals in an envelope.
import type { SchemaObject } from './contract.ts';

/**
 * How deep into nested (and possibly self-referencing) object schemas values and cases are derived. A recursive
 * schema is a cycle of objects once dereferenced; past this depth the walk stops.
 */
export const MAX_SCHEMA_DEPTH = 4;

/**
 * A value valid for the schema: the document's example when there is one, else built from the schema. A required
 * self-reference has no finite valid value; the walk stops at MAX_SCHEMA_DEPTH and the validator then says so.
 */
export function validValue(schema: SchemaObject, example?: unknown, depth = 0): unknown {
  if (isPlainObject(example) && schemaTypes(schema).includes('object')) {
    // An example written before a property became required still needs it to be valid.
    return { ...(validValue(schema, undefined, depth) as Record<string, unknown>), ...example };
  }
  if (example !== undefined) return example;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const [branch] = [schema.oneOf, schema.anyOf].find(Array.isArray) ?? [];
  if (branch !== null && typeof branch === 'object') return validValue(branch as SchemaObject, undefined, depth);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const parts = schema.allOf.map((part) => validValue(part as SchemaObject, undefined, depth));
    if (parts.every(isPlainObject)) return Object.assign({}, ...parts);
  }
  const [type] = schemaTypes(schema);
  switch (type) {
    case 'object': {
      if (depth >= MAX_SCHEMA_DEPTH) return {};
      const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(required.map((name) => [name, validValue(properties[name] ?? {}, undefined, depth + 1)]));
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = (schema.items ?? {}) as SchemaObject;
      return Array.from({ length: Math.min(minItems, 8) }, () => validValue(items, undefined, depth + 1));
    }
    case 'integer':
    case 'number':
      return numberFor(schema, type);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringFor(schema);
  }
}

function numberFor(schema: SchemaObject, type: 'integer' | 'number'): number {
  const { minimum, exclusiveMinimum, maximum } = schema;
  let value = typeof minimum === 'number' ? minimum : typeof exclusiveMinimum === 'number' ? exclusiveMinimum + 1 : 1;
  if (typeof maximum === 'number' && value > maximum) value = maximum;
  return type === 'integer' ? Math.ceil(value) : value;
}

const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  uuid: '00000000-0000-4000-8000-000000000000',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  email: 'contract@example.com',
  uri: 'https://example.com/',
  'uri-reference': '/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
};

function stringFor(schema: SchemaObject): string {
  const sample = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
  if (sample !== undefined) return sample;
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const text = 'text'.padEnd(minLength, 'x');
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The schema's type keyword as a list ("string", ["string", "null"] or none). */
export function schemaTypes(schema: SchemaObject): string[] {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}
