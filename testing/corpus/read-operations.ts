// What the differential's request generator needs to know of a document, read straight from the dereferenced
// OpenAPI object: deliberately not through the kit's own contract model, which is what is being measured.
import SwaggerParser from '@apidevtools/swagger-parser';

export type Schema = Readonly<Record<string, unknown>>;

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface DocParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly schema: Schema;
  /** OpenAPI's defaults filled in: simple for path and header, form for query and cookie. */
  readonly style: string;
  readonly explode: boolean;
  /** The parameter's own example (example, first of examples), if the document gives one. */
  readonly example?: unknown;
}

/** A security scheme as a client presents it; `unsupported` ones (mutualTLS, digest) cannot be sent here. */
export type SchemeCredential =
  | { readonly kind: 'bearer' }
  | { readonly kind: 'basic' }
  | { readonly kind: 'api-key'; readonly in: 'header' | 'query' | 'cookie'; readonly name: string }
  | { readonly kind: 'unsupported'; readonly type: string };

export interface DocRequestBody {
  readonly required: boolean;
  /** Media types in document order. */
  readonly contentTypes: readonly string[];
  /** The schema and example of the first media type. */
  readonly schema: Schema | undefined;
  readonly example?: unknown;
}

export interface DocResponse {
  /** As the document writes it: "200", "2XX" or "default". */
  readonly status: string;
  readonly contentTypes: readonly string[];
  /** Names, lower case, of the headers documented with `required: true`. */
  readonly requiredHeaders: readonly string[];
}

export interface DocOperation {
  readonly path: string;
  readonly method: string;
  readonly parameters: readonly DocParameter[];
  readonly requestBody?: DocRequestBody;
  /** The requirement alternatives (OR), each a list of schemes presented together (AND); [] means none needed. */
  readonly security: readonly (readonly SchemeCredential[])[];
  readonly responses: readonly DocResponse[];
  /** Every method documented on the same path, lower case. */
  readonly pathMethods: readonly string[];
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function firstExample(holder: Record<string, unknown>): unknown {
  if ('example' in holder) return holder.example;
  const examples = record(holder.examples);
  const first = Object.values(examples)[0];
  return first === undefined ? undefined : record(first).value;
}

function readParameter(raw: unknown): DocParameter | undefined {
  const parameter = record(raw);
  const location = parameter.in;
  if (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie') return undefined;
  const style =
    typeof parameter.style === 'string' ? parameter.style : location === 'path' || location === 'header' ? 'simple' : 'form';
  const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  // A parameter described by `content` instead of `schema` is sent as a JSON string of its media type's schema.
  const content = Object.values(record(parameter.content))[0];
  const schema = record(parameter.schema ?? record(content).schema);
  const example = firstExample(parameter);
  return {
    name: String(parameter.name),
    in: location,
    required: location === 'path' || parameter.required === true,
    schema,
    style,
    explode,
    ...(example === undefined ? {} : { example }),
  };
}

function readScheme(raw: unknown): SchemeCredential {
  const scheme = record(raw);
  switch (scheme.type) {
    case 'http': {
      const name = String(scheme.scheme ?? '').toLowerCase();
      if (name === 'bearer') return { kind: 'bearer' };
      if (name === 'basic') return { kind: 'basic' };
      return { kind: 'unsupported', type: `http ${name}` };
    }
    // RFC 6750: OAuth 2.0 and OpenID Connect access tokens travel as bearer tokens.
    case 'oauth2':
    case 'openIdConnect':
      return { kind: 'bearer' };
    case 'apiKey': {
      const where = scheme.in;
      if (where === 'header' || where === 'query' || where === 'cookie')
        return { kind: 'api-key', in: where, name: String(scheme.name) };
      return { kind: 'unsupported', type: `apiKey in ${String(where)}` };
    }
    default:
      return { kind: 'unsupported', type: String(scheme.type) };
  }
}

function readResponses(raw: unknown): DocResponse[] {
  return Object.entries(record(raw)).map(([status, value]) => {
    const response = record(value);
    const requiredHeaders = Object.entries(record(response.headers))
      .filter(([, header]) => record(header).required === true)
      .map(([name]) => name.toLowerCase());
    return { status, contentTypes: Object.keys(record(response.content)), requiredHeaders };
  });
}

/** The operations of a dereferenced OpenAPI 3.0 or 3.1 document, in document order. */
export function operationsOf(document: unknown): DocOperation[] {
  const root = record(document);
  const schemes = record(record(root.components).securitySchemes);
  const globalSecurity = Array.isArray(root.security) ? root.security : [];
  const operations: DocOperation[] = [];
  for (const [path, itemValue] of Object.entries(record(root.paths))) {
    const item = record(itemValue);
    const pathMethods = METHODS.filter((method) => method in item);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of pathMethods) {
      const operation = record(item[method]);
      // Operation-level parameters override path-level ones with the same name and location.
      const byKey = new Map<string, DocParameter>();
      for (const raw of [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters : [])]) {
        const parameter = readParameter(raw);
        if (parameter) byKey.set(`${parameter.in}:${parameter.name.toLowerCase()}`, parameter);
      }
      const requirements = Array.isArray(operation.security) ? operation.security : globalSecurity;
      const security = requirements.map((requirement) =>
        Object.keys(record(requirement)).map((name) => readScheme(schemes[name])),
      );
      const body = record(operation.requestBody);
      const content = record(body.content);
      const contentTypes = Object.keys(content);
      const firstMedia = record(content[contentTypes[0] ?? '']);
      const example = firstExample(firstMedia) ?? record(firstMedia.schema).example;
      operations.push({
        path,
        method,
        parameters: [...byKey.values()],
        ...(contentTypes.length === 0
          ? {}
          : {
              requestBody: {
                required: body.required === true,
                contentTypes,
                schema: firstMedia.schema === undefined ? undefined : record(firstMedia.schema),
                ...(example === undefined ? {} : { example }),
              },
            }),
        security,
        responses: readResponses(operation.responses),
        pathMethods,
      });
    }
  }
  return operations;
}

/** Reads and dereferences a document (YAML or JSON) into its operations. */
export async function readOperations(documentPath: string): Promise<DocOperation[]> {
  return operationsOf(await SwaggerParser.dereference(documentPath));
}

/** The documented response an answer's status falls under: the exact code, then its range (2XX), then default. */
export function documentedResponse(operation: DocOperation, status: number): DocResponse | undefined {
  const exact = String(status);
  const range = `${exact[0]}XX`;
  return (
    operation.responses.find((response) => response.status === exact) ??
    operation.responses.find((response) => response.status.toUpperCase() === range) ??
    operation.responses.find((response) => response.status === 'default')
  );
}
