// Reading a parameter out of a request as OpenAPI serialises it (OpenAPI 3.1 section 4.8.12.4: style and
// explode), then turning its text into the types its schema names, so that Ajv judges `?limit=500` as the
// number 500 and `?limit=ten` as the string it is.
import type { ParameterContract, SchemaObject } from './contract.ts';
import { decodeComponent, type EngineRequest, readCookies } from './request.ts';
import { isPlainObject, schemaTypes } from './valid-value.ts';

export type ParameterReading = { readonly present: false } | { readonly present: true; readonly value: unknown };

/** The parameter's value in the request, typed by its schema, or absent. `pathValues` are the route's captures. */
export function readParameter(
  parameter: ParameterContract,
  request: EngineRequest,
  pathValues: Readonly<Record<string, string>>,
): ParameterReading {
  const { schema } = parameter;
  const shape = shapeOf(schema);
  switch (parameter.in) {
    case 'path': {
      const raw = pathValues[parameter.name];
      return raw === undefined
        ? { present: false }
        : // Split first, then decode: "a%2Cb" is one value with a comma in it, not two.
          { present: true, value: coerce(decodeParts(simple(raw, shape, parameter.explode)), schema) };
    }
    case 'header': {
      const raw = request.headers[parameter.name];
      return raw === undefined
        ? { present: false }
        : { present: true, value: coerce(simple(raw.trim(), shape, parameter.explode, true), schema) };
    }
    case 'cookie': {
      const raw = readCookies(request.headers.cookie).get(parameter.name);
      return raw === undefined
        ? { present: false }
        : { present: true, value: coerce(simple(decodeComponent(raw), shape, false), schema) };
    }
    case 'query':
      return readQuery(parameter, request.query, shape);
  }
}

type Shape = 'array' | 'object' | 'primitive';

function shapeOf(schema: SchemaObject): Shape {
  const types = schemaTypes(schema);
  if (types.includes('array')) return 'array';
  if (types.includes('object') || (types.length === 0 && isPlainObject(schema.properties))) return 'object';
  return 'primitive';
}

/** A header value in style simple, typed by its schema; spaces around the commas dropped (RFC 9110 section 5.6.1). */
export function readHeaderValue(raw: string, schema: SchemaObject): unknown {
  return coerce(simple(raw.trim(), shapeOf(schema), false, true), schema);
}

/** Style simple (and form without explode, which reads alike once the name is stripped): "a,b" or "k,v,k2,v2". */
function simple(raw: string, shape: Shape, explode: boolean, trim = false): unknown {
  if (shape === 'primitive') return raw;
  const parts = raw === '' ? [] : raw.split(',').map((part) => (trim ? part.trim() : part));
  if (shape === 'array') return parts;
  if (explode) return Object.fromEntries(parts.map((part) => splitOnce(part, '=')));
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < parts.length; index += 2) pairs.push([parts[index] ?? '', parts[index + 1] ?? '']);
  return Object.fromEntries(pairs);
}

function readQuery(parameter: ParameterContract, query: URLSearchParams, shape: Shape): ParameterReading {
  const { name, schema } = parameter;
  if (parameter.style === 'deepObject') {
    const prefix = `${name}[`;
    const entries = [...query].filter(([key]) => key.startsWith(prefix) && key.endsWith(']'));
    if (entries.length === 0) return { present: false };
    return {
      present: true,
      value: coerce(Object.fromEntries(entries.map(([key, value]) => [key.slice(prefix.length, -1), value])), schema),
    };
  }
  if (shape === 'object' && parameter.explode) {
    // Form, exploded: each property is its own query parameter (?role=admin&name=x).
    const properties = Object.keys((schema.properties ?? {}) as object);
    const entries = [...query].filter(([key]) => properties.includes(key));
    return entries.length === 0 ? { present: false } : { present: true, value: coerce(Object.fromEntries(entries), schema) };
  }
  if (!query.has(name)) return { present: false };
  if (shape === 'array' && parameter.explode) return { present: true, value: coerce(query.getAll(name), schema) };
  return { present: true, value: coerce(simple(query.get(name) ?? '', shape, false), schema) };
}

function decodeParts(value: unknown): unknown {
  if (typeof value === 'string') return decodeComponent(value);
  if (Array.isArray(value)) return value.map(decodeParts);
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [decodeComponent(key), decodeParts(item)]));
  return value;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Text turned into the type the schema names, where it reads as one; otherwise left as text for Ajv to refuse. */
export function coerce(value: unknown, schema: SchemaObject): unknown {
  if (Array.isArray(value)) {
    const items = isPlainObject(schema.items) ? (schema.items as SchemaObject) : {};
    return value.map((item) => coerce(item, items));
  }
  if (isPlainObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, properties[key] ?? {})]));
  }
  if (typeof value !== 'string') return value;
  const types = schemaTypes(schema.type === undefined && Array.isArray(schema.enum) ? { type: typeof schema.enum[0] } : schema);
  for (const type of types) {
    if ((type === 'integer' || type === 'number') && NUMBER.test(value)) return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    if (type === 'null' && value === '') return null;
    if (type === 'string') return value;
  }
  return value;
}
