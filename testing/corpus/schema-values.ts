// Values for the differential's requests, from a schema: fast-check arbitraries of values the schema accepts
// (the document's own example first), and one value it refuses. Conservative on purpose: a "valid" request that
// is in fact invalid would be labelled wrongly, so strings are short lower-case words unless a format or a
// pattern says otherwise, and objects carry their required properties and a few optional ones.
import fc from 'fast-check';
import type { Schema } from './read-operations.ts';

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function numberOr(value: unknown, fallback: number | undefined): number | undefined {
  return typeof value === 'number' ? value : fallback;
}

/** The schema's type, the first non-null one of a 3.1 type list, or guessed from its keywords. */
export function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((entry) => entry !== 'null') as string | undefined;
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** allOf flattened into one schema: properties and required lists merged, other keywords of the last one win. */
function flatten(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const parts = [schema, ...schema.allOf.map((part) => flatten(record(part)))];
  const properties: Record<string, unknown> = {};
  const required: unknown[] = [];
  let merged: Record<string, unknown> = {};
  for (const part of parts) {
    const { allOf: _allOf, ...rest } = part;
    merged = { ...merged, ...rest };
    Object.assign(properties, record(part.properties));
    if (Array.isArray(part.required)) required.push(...part.required);
  }
  return { ...merged, properties, required: [...new Set(required)], type: typeOf(merged) ?? 'object' };
}

function bounds(schema: Schema, integer: boolean): { min: number; max: number } {
  // 3.0 writes exclusiveMinimum as a flag beside minimum, 3.1 as the bound itself.
  const step = integer ? 1 : 0.5;
  let min = numberOr(schema.minimum, undefined);
  let max = numberOr(schema.maximum, undefined);
  if (typeof schema.exclusiveMinimum === 'number') min = schema.exclusiveMinimum + step;
  else if (schema.exclusiveMinimum === true && min !== undefined) min += step;
  if (typeof schema.exclusiveMaximum === 'number') max = schema.exclusiveMaximum - step;
  else if (schema.exclusiveMaximum === true && max !== undefined) max -= step;
  const low = min ?? Math.min(1, max ?? 1);
  return { min: low, max: max ?? Math.max(low, 1) + 999 };
}

const word = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: min, maxLength: max });

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.tuple(word(1, 8), word(1, 8)).map(([user, host]) => `${user}@${host}.example`);
    case 'date-time':
      return fc.integer({ min: 0, max: 4_000_000_000 }).map((seconds) => new Date(seconds * 1000).toISOString());
    case 'date':
      return fc.integer({ min: 0, max: 40_000 }).map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10));
    case 'uri':
    case 'url':
      return word(1, 10).map((segment) => `https://example.com/${segment}`);
    case 'ipv4':
      return fc.ipV4();
    default:
      break;
  }
  const minLength = numberOr(schema.minLength, 0) ?? 0;
  const maxLength = numberOr(schema.maxLength, undefined);
  if (typeof schema.pattern === 'string') {
    try {
      const pattern = new RegExp(schema.pattern, 'u');
      return fc
        .stringMatching(pattern)
        .filter((text) => text.length >= minLength && (maxLength === undefined || text.length <= maxLength));
    } catch {
      // A pattern JavaScript cannot read: fall through to a plain word.
    }
  }
  const low = Math.max(minLength, 1);
  return word(
    Math.min(low, maxLength ?? low),
    Math.max(Math.min(maxLength ?? low + 11, low + 11), Math.min(low, maxLength ?? low)),
  );
}

/** Values the schema accepts, the document's example first when it has one; `depth` bounds recursive schemas. */
export function validValues(rawSchema: Schema, example?: unknown, depth = 0): fc.Arbitrary<unknown> {
  const generated = generatedValues(flatten(rawSchema), depth);
  const own = example ?? rawSchema.example ?? (Array.isArray(rawSchema.examples) ? rawSchema.examples[0] : undefined);
  // The example is what a hand-written request would send; generated values explore the rest of the schema.
  return own === undefined
    ? generated
    : fc.oneof({ arbitrary: fc.constant(own), weight: 2 }, { arbitrary: generated, weight: 1 });
}

function generatedValues(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((value) => value !== null);
    if (values.length > 0) return fc.constantFrom(...values);
  }
  if ('default' in schema && depth > 3) return fc.constant(schema.default);
  // oneOf: the first branch only, since a value of one branch may match another and break "exactly one".
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) return validValues(record(schema.oneOf[0]), undefined, depth + 1);
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0)
    return fc.oneof(...schema.anyOf.map((branch) => validValues(record(branch), undefined, depth + 1)));
  switch (typeOf(schema)) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer': {
      const { min, max } = bounds(schema, true);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'number': {
      const { min, max } = bounds(schema, false);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minItems = numberOr(schema.minItems, 0) ?? 0;
      const maxItems = Math.min(numberOr(schema.maxItems, minItems + 2) ?? minItems + 2, minItems + 2);
      const items = depth > 4 ? fc.constant('x') : validValues(record(schema.items), undefined, depth + 1);
      return schema.uniqueItems === true
        ? fc.uniqueArray(items, { minLength: minItems, maxLength: maxItems, selector: (item) => JSON.stringify(item) })
        : fc.array(items, { minLength: minItems, maxLength: maxItems });
    }
    case 'object':
      return objectValues(schema, depth);
    default:
      return word(1, 8);
  }
}

function objectValues(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(record(schema.properties))) {
    const propertySchema = record(property);
    // readOnly properties belong to answers, not requests; deep optional ones are left out to end recursion.
    if (propertySchema.readOnly === true) continue;
    if (!required.has(name) && depth > 2) continue;
    shape[name] = validValues(propertySchema, undefined, depth + 1);
  }
  const requiredKeys = Object.keys(shape).filter((name) => required.has(name));
  return fc.record(shape, { requiredKeys });
}

/** One value the schema refuses, as a parameter's text, with what is wrong with it; undefined if any text passes. */
export function invalidParameterText(rawSchema: Schema): { readonly text: string; readonly why: string } | undefined {
  const schema = flatten(rawSchema);
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number')
    return { text: 'not-a-number', why: `not ${type === 'integer' ? 'an integer' : 'a number'}` };
  if (type === 'boolean') return { text: 'maybe', why: 'not a boolean' };
  if (Array.isArray(schema.enum) && !schema.enum.includes('zz-not-listed'))
    return { text: 'zz-not-listed', why: 'outside the enum' };
  if (type === 'string' || type === undefined) {
    if (typeof schema.pattern === 'string') {
      const candidate = '~~';
      try {
        if (!new RegExp(schema.pattern, 'u').test(candidate))
          return { text: candidate, why: `breaking the pattern ${schema.pattern}` };
      } catch {
        return undefined;
      }
    }
    const maxLength = numberOr(schema.maxLength, undefined);
    if (maxLength !== undefined) return { text: 'x'.repeat(maxLength + 1), why: `longer than maxLength ${maxLength}` };
    if (schema.format === 'uuid') return { text: 'not-a-uuid', why: 'not a uuid' };
    if (schema.format === 'date-time') return { text: 'not-a-date', why: 'not a date-time' };
  }
  return undefined;
}

/** A JSON body the schema refuses, with what is wrong with it; undefined when the schema accepts anything. */
export function invalidBody(
  rawSchema: Schema | undefined,
  valid: unknown,
): { readonly value: unknown; readonly why: string } | undefined {
  if (rawSchema === undefined) return undefined;
  const schema = flatten(rawSchema);
  const type = typeOf(schema);
  const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
  const properties = record(schema.properties);
  const firstRequired = required.find((name) => record(properties[name]).readOnly !== true);
  if (type === 'object' && firstRequired !== undefined && valid !== null && typeof valid === 'object' && !Array.isArray(valid)) {
    const { [firstRequired]: _dropped, ...rest } = valid as Record<string, unknown>;
    return { value: rest, why: `without its required property ${firstRequired}` };
  }
  if (type === 'object') return { value: 'not an object', why: 'a string where an object is required' };
  if (type === 'array') return { value: { not: 'an array' }, why: 'an object where an array is required' };
  if (type === 'integer' || type === 'number' || type === 'boolean')
    return { value: 'not-a-value', why: `a string where ${type} is required` };
  return undefined;
}
