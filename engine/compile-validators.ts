import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Contract, SchemaObject } from './contract.ts';
import { ContractLoadError } from './contract-error.ts';

/**
 * OpenAPI 3.1 keywords that are not JSON Schema 2020-12 vocabulary. Ajv stays strict (its strict-mode guide
 * asks for declared keywords rather than strict: false); `x-` extensions found in a schema are declared too.
 */
const OPENAPI_KEYWORDS = ['example', 'xml', 'externalDocs'] as const;

export interface SchemaError {
  /** JSON pointer into the validated value. */
  readonly instancePath: string;
  /** JSON pointer into the schema, relative to its root ("#/properties/x/type"). */
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message: string;
}

export type Validate = (value: unknown) => readonly SchemaError[];

/** A schema error in words, where and what, e.g. `at /mfaType must be equal to one of the allowed values: "A", "B"`. */
export function describeSchemaError(error: SchemaError): string {
  const where = error.instancePath === '' ? 'the root' : error.instancePath;
  const allowed = error.params.allowedValues;
  const values =
    error.keyword === 'enum' && Array.isArray(allowed) ? `: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return `at ${where} ${error.message}${values}`;
}

let shared: ((schema: SchemaObject) => Validate) | undefined;

/**
 * The process's validators: one strict Ajv for OpenAPI 3.1 (JSON Schema 2020-12), each schema compiled once.
 * Documents are read once per process too (loadContract), so a schema object met again in a later run, by the
 * vitest adapter or by the proxy's next exchange is the same object, and is not compiled again.
 */
export function validatorCache(): (schema: SchemaObject) => Validate {
  shared ??= compileOnce();
  return shared;
}

/** One strict Ajv for OpenAPI schemas; with `discriminator` understood by Ajv, or declared as an annotation. */
function createAjv(discriminator: boolean): Ajv2020 {
  // Strict about keywords (an unknown one is a typo or needs declaring), not about types: ordinary documents write
  // `properties` without `type: object` in allOf branches, which JSON Schema allows.
  const ajv = new Ajv2020({
    strict: true,
    strictTypes: false,
    strictTuples: false,
    // A required property defined in another allOf branch, or nowhere (any value then), is ordinary JSON Schema.
    strictRequired: false,
    allErrors: true,
    discriminator,
    validateFormats: true,
  });
  addFormats.default(ajv);
  ajv.addVocabulary(discriminator ? [...OPENAPI_KEYWORDS] : [...OPENAPI_KEYWORDS, 'discriminator']);
  return ajv;
}

function compileOnce(): (schema: SchemaObject) => Validate {
  // Ajv's discriminator (the style guide's choice) gives better errors for OpenAPI unions, but refuses those with a
  // `mapping` or branches without a const: such a schema is compiled by a second Ajv that reads the discriminator
  // as an annotation, its oneOf still validating.
  const ajvs = [createAjv(true), createAjv(false)];
  const knownFormats = new Set<string>(KNOWN_FORMATS);
  const declared = new Set<string>(OPENAPI_KEYWORDS);
  // Keyed by the dereferenced schema object, as Prism does: a schema shared by several statuses compiles once.
  const compiled = new WeakMap<SchemaObject, Validate>();
  return (schema) => {
    const cached = compiled.get(schema);
    if (cached) return cached;
    // OpenAPI's format is an open set: a format Ajv does not know is an annotation (listed as not judged by
    // unsupported.ts), not a reason to refuse the schema.
    for (const format of formatsIn(schema)) {
      if (!knownFormats.has(format)) {
        for (const ajv of ajvs) ajv.addFormat(format, true);
        knownFormats.add(format);
      }
    }
    for (const keyword of extensionKeywords(schema)) {
      if (!declared.has(keyword)) {
        for (const ajv of ajvs) ajv.addKeyword(keyword);
        declared.add(keyword);
      }
    }
    const acyclic = withoutCycles(schema);
    let validate: ValidateFunction;
    try {
      validate = (ajvs[0] as Ajv2020).compile(acyclic);
    } catch (error) {
      if (!/discriminator/i.test((error as Error).message)) throw error;
      validate = (ajvs[1] as Ajv2020).compile(acyclic);
    }
    const run: Validate = (value) => {
      if (validate(value)) return [];
      // Copy the errors out: Ajv reuses validate.errors on the next call.
      return (validate.errors ?? []).map(toSchemaError);
    };
    compiled.set(schema, run);
    return run;
  };
}

function toSchemaError(error: ErrorObject): SchemaError {
  return {
    instancePath: error.instancePath,
    schemaPath: error.schemaPath,
    keyword: error.keyword,
    params: { ...error.params },
    message: error.message ?? 'is invalid',
  };
}

/** The formats the validator checks (ajv-formats' full set): any other is an annotation. */
export const KNOWN_FORMATS: readonly string[] = Object.keys(fullFormats);

/** Every value of a `format` keyword anywhere in the schema. */
export function formatsIn(node: unknown, found = new Set<string>(), seen = new WeakSet<object>()): Set<string> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return found;
  seen.add(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format' && typeof value === 'string') found.add(value);
    else formatsIn(value, found, seen);
  }
  return found;
}

/** Every `x-` key anywhere in the schema, so that strict mode knows them as annotations. */
function extensionKeywords(node: unknown, found = new Set<string>(), seen = new WeakSet<object>()): Set<string> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return found;
  seen.add(node);
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-')) found.add(key);
    else extensionKeywords(value, found, seen);
  }
  return found;
}

/**
 * A dereferenced recursive schema is a cycle of objects, which Ajv cannot compile. This returns the schema
 * unchanged when it has no cycle (so schema paths still read as the document's pointers), else a copy in which
 * every schema that is re-entered lives once under $defs and is referred to by $ref (JSON Schema 2020-12 §8.2.3.1).
 */
export function withoutCycles(schema: SchemaObject): SchemaObject {
  const reentered = new Set<object>();
  // A node walked to the end once needs no second walk: a schema shared by many others (not a cycle) would
  // otherwise be walked once per way to reach it, exponentially many.
  const done = new WeakSet<object>();
  const visit = (node: unknown, path: Set<object>): void => {
    if (node === null || typeof node !== 'object') return;
    if (path.has(node)) {
      reentered.add(node);
      return;
    }
    if (done.has(node)) return;
    path.add(node);
    for (const child of Object.values(node)) visit(child, path);
    path.delete(node);
    done.add(node);
  };
  visit(schema, new Set());
  if (reentered.size === 0) return schema;
  const names = new Map([...reentered].map((node, index) => [node, `recursive${index}`]));
  const copy = (node: unknown, defining?: object): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const name = names.get(node);
    if (name !== undefined && node !== defining) return { $ref: `#/$defs/${name}` };
    if (Array.isArray(node)) return node.map((item) => copy(item));
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, copy(value)]));
  };
  const $defs = Object.fromEntries([...names].map(([node, name]) => [name, copy(node, node)]));
  const root = copy(schema) as Record<string, unknown>;
  return { ...root, $defs: { ...(root.$defs as object | undefined), ...$defs } };
}

/**
 * Compiles every schema of a contract, so that a document is accepted only when each one compiles (an edit such
 * as `type: strang` is refused when it loads, naming its pointer, rather than failing on the first request).
 */
export function compileEverySchema(contract: Contract): void {
  const validatorFor = validatorCache();
  const schemas: [SchemaObject, string][] = [];
  for (const operation of contract.operations) {
    for (const parameter of operation.parameters) schemas.push([parameter.schema, parameter.schemaPointer]);
    for (const content of operation.requestBody?.contents ?? []) schemas.push([content.schema, content.schemaPointer]);
    for (const response of operation.responses) {
      if (response.contentType !== undefined) schemas.push([response.schema, response.schemaPointer]);
      for (const header of response.headers) schemas.push([header.schema, header.schemaPointer]);
    }
  }
  for (const [schema, pointer] of schemas) {
    try {
      validatorFor(schema);
    } catch (error) {
      throw new ContractLoadError(
        `${contract.documentPath} has a schema the validator cannot compile at #${pointer}: ${(error as Error).message}.`,
      );
    }
  }
}
