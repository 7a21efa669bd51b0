// The contract model: what the engine reads out of any dereferenced OpenAPI 3.0 or 3.1 document. Pure functions of
// the document, so that the MSW handlers build the same model inside a browser, where no file can be read. What a
// document uses beyond this model is found by unsupported.ts, refused or listed as not judged, never ignored.
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { ContractLoadError } from './contract-error.ts';
import { toPointer } from './json-pointer.ts';
import { isJsonMediaType } from './media-type.ts';
import { forDirection, schemaFor } from './schema-dialect.ts';
import { findUnsupported, IGNORED_HEADERS, type UnsupportedFeature } from './unsupported.ts';

/** A JSON Schema object as the engine validates it (2020-12), after $refs are resolved. */
export type SchemaObject = Readonly<Record<string, unknown>>;

/** Any OpenAPI 3.x document, dereferenced. */
export type OpenApiDocument = OpenAPIV3_1.Document | OpenAPIV3.Document;

/** A named example, with where it lives in the document. */
export interface NamedExample {
  readonly name: string;
  readonly summary?: string;
  readonly value: unknown;
  /** JSON pointer of the Example Object inside the document. */
  readonly pointer: string;
}

/** A response example: a scenario the mock can serve. */
export interface ResponseExample extends NamedExample {
  readonly status: number;
  readonly contentType: string;
  /** The request body (a subset of it) that this example answers, from its x-request-match. */
  readonly requestMatch?: Readonly<Record<string, unknown>>;
}

/** A documented response header (OpenAPI Header Object). */
export interface HeaderContract {
  /** Lower-cased, as HTTP compares header names. */
  readonly name: string;
  readonly required: boolean;
  readonly schema: SchemaObject;
  readonly schemaPointer: string;
  readonly example?: unknown;
}

/**
 * One documented answer: a status key ("200", "2XX" or "default") with one media type, or with none (a 204).
 * `status` is the concrete status the mock answers for it: the code itself, the range's x00, or 500 for default.
 */
export interface ResponseContract {
  readonly key: string;
  readonly status: number;
  readonly description: string;
  /** Absent for a response without content. */
  readonly contentType?: string;
  readonly schema: SchemaObject;
  /** JSON pointer of the schema inside the document (of the response when it has no content). */
  readonly schemaPointer: string;
  readonly examples: readonly ResponseExample[];
  readonly headers: readonly HeaderContract[];
}

export interface MediaContent {
  readonly contentType: string;
  readonly schema: SchemaObject;
  readonly schemaPointer: string;
  readonly examples: readonly NamedExample[];
}

export interface RequestBodyContract {
  readonly required: boolean;
  /** The media type the suite sends and the mock reads first: a JSON one when the operation takes one. */
  readonly contentType: string;
  readonly schema: SchemaObject;
  readonly schemaPointer: string;
  readonly examples: readonly NamedExample[];
  /** Every media type the operation takes, the primary one first. */
  readonly contents: readonly MediaContent[];
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** A parameter with its serialisation (OpenAPI 3.1 section 4.8.12.4: style and explode). */
export interface ParameterContract {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly style: 'simple' | 'form' | 'deepObject';
  readonly explode: boolean;
  readonly schema: SchemaObject;
  readonly schemaPointer: string;
  /** JSON pointer of the Parameter Object. */
  readonly pointer: string;
  readonly example?: unknown;
}

/** How a credential travels: an Authorization scheme, or an API key in a header, query parameter or cookie. */
export type SecuritySchemeContract =
  | { readonly name: string; readonly kind: 'bearer' | 'basic'; readonly pointer: string }
  | {
      readonly name: string;
      readonly kind: 'apiKey';
      readonly in: 'header' | 'query' | 'cookie';
      readonly parameter: string;
      readonly pointer: string;
    };

/** Security requirements: any one alternative satisfies (OR), and an alternative needs all its schemes (AND). */
export type SecurityContract = readonly (readonly SecuritySchemeContract[])[];

export interface OperationContract {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /** JSON pointer of the Operation Object. */
  readonly pointer: string;
  readonly parameters: readonly ParameterContract[];
  /** Empty when the operation asks for no credentials (`security: []` or none anywhere). */
  readonly security: SecurityContract;
  readonly requestBody?: RequestBodyContract;
  readonly responses: readonly ResponseContract[];
}

export interface Contract {
  readonly documentPath: string;
  readonly title: string;
  readonly version: string;
  /** The servers' URLs, server variables replaced by their defaults. */
  readonly servers: readonly string[];
  /** The servers' base paths ("/v1"), without a trailing slash; "" for a server at the root. */
  readonly basePaths: readonly string[];
  readonly operations: readonly OperationContract[];
  /** What the document uses that the engine passes over, safely, and every report lists as not judged. */
  readonly notJudged: readonly UnsupportedFeature[];
  /** The dereferenced document, for resolving pointers such as the gap policy's error envelope. */
  readonly document: OpenApiDocument;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The contract of a dereferenced document; `documentPath` only names it. Throws ContractLoadError when the
 * document uses a feature the engine would otherwise judge wrongly.
 */
export function contractFromDocument(document: OpenApiDocument, documentPath: string): Contract {
  const { refused, notJudged } = findUnsupported(document);
  const [first] = refused;
  if (first) {
    const more =
      refused.length > 1
        ? ` (and ${refused.length - 1} more: ${refused
            .slice(1, 4)
            .map((f) => f.pointer)
            .join(', ')})`
        : '';
    throw new ContractLoadError(
      `${documentPath} uses ${first.feature} at #${first.pointer}, which the kit does not judge${more}; ${first.advice}`,
    );
  }
  const dialect = document.openapi.startsWith('3.0') ? '3.0' : '3.1';
  const operations: OperationContract[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, unknown>)[method] as OpenAPIV3_1.OperationObject | undefined;
      if (operation)
        operations.push(readOperation(document, dialect, path, method, item as OpenAPIV3_1.PathItemObject, operation));
    }
  }
  const servers = (document.servers ?? []).map((server) => serverUrl(server as OpenAPIV3_1.ServerObject));
  return {
    documentPath,
    title: document.info.title,
    version: document.info.version,
    servers,
    basePaths: [...new Set(servers.map(basePathOf))],
    operations,
    notJudged,
    document,
  };
}

/** Resolves a local JSON pointer ("#/a/b") inside the dereferenced document. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  const segments = pointer.replace(/^#/, '').split('/').slice(1);
  let node: unknown = document;
  for (const raw of segments) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !(segment in node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** The label of an operation in every sentence: "POST /mfa/enable". */
export function operationLabel(operation: Pick<OperationContract, 'method' | 'path'>): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/** The documented response for a status: the exact code first, then its range ("4XX"), then default. */
export function responsesFor(operation: OperationContract, status: number): readonly ResponseContract[] {
  // The keys compared with are made once per call, not once per documented response: the proxy asks on every exchange.
  const code = String(status);
  const exact = operation.responses.filter((response) => response.key === code);
  if (exact.length > 0) return exact;
  const rangeKey = `${Math.floor(status / 100)}XX`;
  const range = operation.responses.filter((response) => response.key.toUpperCase() === rangeKey);
  if (range.length > 0) return range;
  return operation.responses.filter((response) => response.key === 'default');
}

/** The statuses an operation documents, as keys ("200", "2XX", "default"), in document order without repeats. */
export function documentedKeys(operation: OperationContract): string[] {
  return [...new Set(operation.responses.map((response) => response.key))];
}

function serverUrl(server: OpenAPIV3_1.ServerObject): string {
  let url = server.url;
  for (const [name, variable] of Object.entries(server.variables ?? {})) url = url.replaceAll(`{${name}}`, variable.default);
  return url;
}

function basePathOf(url: string): string {
  try {
    return decodeURI(new URL(url, 'http://relative.invalid').pathname).replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function readOperation(
  document: OpenApiDocument,
  dialect: '3.0' | '3.1',
  path: string,
  method: string,
  item: OpenAPIV3_1.PathItemObject,
  operation: OpenAPIV3_1.OperationObject,
): OperationContract {
  const base = ['paths', path, method];
  const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const requestBody = body ? readRequestBody(body, dialect, [...base, 'requestBody']) : undefined;
  return {
    method,
    path,
    operationId: operation.operationId ?? `${method} ${path}`,
    summary: operation.summary ?? '',
    description: operation.description ?? '',
    pointer: toPointer(base),
    parameters: readParameters(dialect, path, method, item, operation),
    security: readSecurity(document, operation),
    ...(requestBody ? { requestBody } : {}),
    responses: readResponses(dialect, base, operation),
  };
}

/** Path-level parameters, overridden by operation-level ones of the same name and location. */
function readParameters(
  dialect: '3.0' | '3.1',
  path: string,
  method: string,
  item: OpenAPIV3_1.PathItemObject,
  operation: OpenAPIV3_1.OperationObject,
): ParameterContract[] {
  const byKey = new Map<string, ParameterContract>();
  const levels: [unknown[] | undefined, string[]][] = [
    [item.parameters, ['paths', path, 'parameters']],
    [operation.parameters, ['paths', path, method, 'parameters']],
  ];
  for (const [list, at] of levels) {
    (list ?? []).forEach((raw, index) => {
      const parameter = raw as OpenAPIV3_1.ParameterObject;
      const location = parameter.in as ParameterLocation;
      // OpenAPI 3.1 section 4.8.12.1: these header parameters SHALL be ignored (unsupported.ts lists them).
      if (location === 'header' && IGNORED_HEADERS.has(parameter.name.toLowerCase())) return;
      const pointer = [...at, String(index)];
      const style = (parameter.style ?? (location === 'query' || location === 'cookie' ? 'form' : 'simple')) as
        | 'simple'
        | 'form'
        | 'deepObject';
      const example = parameter.example ?? firstExample(parameter.examples) ?? undefined;
      byKey.set(`${location}:${location === 'header' ? parameter.name.toLowerCase() : parameter.name}`, {
        name: location === 'header' ? parameter.name.toLowerCase() : parameter.name,
        in: location,
        // Path parameters are always required (OpenAPI 3.1 section 4.8.12.1).
        required: location === 'path' || parameter.required === true,
        style,
        explode: parameter.explode ?? style === 'form',
        schema: schemaFor(parameter.schema, dialect),
        schemaPointer: toPointer([...pointer, 'schema']),
        pointer: toPointer(pointer),
        ...(example === undefined ? {} : { example }),
      });
    });
  }
  return [...byKey.values()];
}

function firstExample(examples: OpenAPIV3_1.ParameterObject['examples']): unknown {
  const [first] = Object.values(examples ?? {});
  return (first as OpenAPIV3_1.ExampleObject | undefined)?.value;
}

function readSecurity(document: OpenApiDocument, operation: OpenAPIV3_1.OperationObject): SecurityContract {
  const requirements = operation.security ?? document.security ?? [];
  const schemes = (document.components?.securitySchemes ?? {}) as Record<string, OpenAPIV3_1.SecuritySchemeObject>;
  // An empty requirement ({}) among the alternatives makes credentials optional: no check can ask for them.
  if (requirements.some((requirement) => Object.keys(requirement).length === 0)) return [];
  // An alternative naming a scheme the document does not define cannot be checked; unsupported.ts lists it as
  // not judged, and the others stand (none left: no credentials are asked for, as Prism reads it too).
  const defined = requirements.filter((requirement) => Object.keys(requirement).every((name) => schemes[name] !== undefined));
  return defined.map((requirement) =>
    Object.keys(requirement).map((name): SecuritySchemeContract => {
      const scheme = schemes[name];
      const pointer = toPointer(['components', 'securitySchemes', name]);
      if (scheme?.type === 'apiKey') {
        return { name, kind: 'apiKey', in: scheme.in as 'header' | 'query' | 'cookie', parameter: scheme.name, pointer };
      }
      // oauth2 and openIdConnect send their access token as a bearer token (RFC 6750); unsupported.ts has refused
      // every other kind before this runs.
      const kind = scheme?.type === 'http' && scheme.scheme.toLowerCase() === 'basic' ? 'basic' : 'bearer';
      return { name, kind, pointer };
    }),
  );
}

function readRequestBody(
  body: OpenAPIV3_1.RequestBodyObject,
  dialect: '3.0' | '3.1',
  base: string[],
): RequestBodyContract | undefined {
  const contents = Object.entries(body.content ?? {}).map(([contentType, media]): MediaContent => {
    const pointerBase = [...base, 'content', contentType];
    return {
      contentType,
      schema: forDirection(schemaFor(media.schema, dialect), 'request'),
      schemaPointer: toPointer([...pointerBase, 'schema']),
      examples: readExamples(media, pointerBase),
    };
  });
  const primary = contents.find((content) => isJsonMediaType(content.contentType)) ?? contents[0];
  if (!primary) return undefined;
  return {
    required: body.required === true,
    ...primary,
    contents: [primary, ...contents.filter((content) => content !== primary)],
  };
}

function readResponses(dialect: '3.0' | '3.1', base: string[], operation: OpenAPIV3_1.OperationObject): ResponseContract[] {
  const responses: ResponseContract[] = [];
  for (const [key, raw] of Object.entries(operation.responses ?? {})) {
    const response = raw as OpenAPIV3_1.ResponseObject;
    const status = statusOfKey(key);
    const responseBase = [...base, 'responses', key];
    const headers = readHeaders(dialect, response.headers, responseBase);
    const contents = Object.entries(response.content ?? {});
    if (contents.length === 0) {
      responses.push({
        key,
        status,
        description: response.description,
        schema: {},
        schemaPointer: toPointer(responseBase),
        examples: [],
        headers,
      });
    }
    for (const [contentType, media] of contents) {
      const pointerBase = [...responseBase, 'content', contentType];
      responses.push({
        key,
        status,
        description: response.description,
        contentType,
        schema: forDirection(schemaFor(media.schema, dialect), 'response'),
        schemaPointer: toPointer([...pointerBase, 'schema']),
        examples: readExamples(media, pointerBase).map((example) => ({
          ...example,
          status,
          contentType,
          ...requestMatchOf(media, example.name),
        })),
        headers,
      });
    }
  }
  return responses;
}

/** The status the mock answers for a key: the code, a range's x00, or 500 for default (an error is its usual use). */
function statusOfKey(key: string): number {
  if (/^[1-5]\d\d$/.test(key)) return Number(key);
  if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100;
  return 500;
}

function readHeaders(dialect: '3.0' | '3.1', headers: OpenAPIV3_1.ResponseObject['headers'], base: string[]): HeaderContract[] {
  return Object.entries(headers ?? {})
    .filter(([name]) => name.toLowerCase() !== 'content-type') // OpenAPI 3.1 section 4.8.17.1: ignored if defined.
    .map(([name, raw]) => {
      const header = raw as OpenAPIV3_1.HeaderObject;
      const example = header.example ?? firstExample(header.examples);
      return {
        name: name.toLowerCase(),
        required: header.required === true,
        schema: schemaFor(header.schema, dialect),
        schemaPointer: toPointer([...base, 'headers', name, 'schema']),
        ...(example === undefined ? {} : { example }),
      };
    });
}

function readExamples(media: OpenAPIV3_1.MediaTypeObject, pointerBase: string[]): NamedExample[] {
  const named = Object.entries(media.examples ?? {}).flatMap(([name, example]) => {
    const { summary, value } = example as OpenAPIV3_1.ExampleObject;
    // An example with only an externalValue has no value to serve or send.
    if (value === undefined) return [];
    return [
      {
        name,
        ...(summary === undefined ? {} : { summary }),
        value,
        pointer: toPointer([...pointerBase, 'examples', name]),
      },
    ];
  });
  if (media.example !== undefined) {
    named.push({ name: 'example', value: media.example, pointer: toPointer([...pointerBase, 'example']) });
  }
  return named;
}

function requestMatchOf(media: OpenAPIV3_1.MediaTypeObject, name: string): { requestMatch?: Record<string, unknown> } {
  const match = (media.examples?.[name] as Record<string, unknown> | undefined)?.['x-request-match'];
  return match !== null && typeof match === 'object' ? { requestMatch: match as Record<string, unknown> } : {};
}
