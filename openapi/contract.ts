// What the kit reads out of an OpenAPI document, and how: pure functions of the dereferenced document, so that
// the MSW handlers can build the same contract inside a browser, where no file can be read.
import type { OpenAPIV3_1 } from 'openapi-types';
import { toPointer } from './json-pointer.ts';
import { isJsonMediaType } from './media-type.ts';

/** A JSON Schema object as the document holds it, after $refs are resolved. */
export type SchemaObject = Readonly<Record<string, unknown>>;

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

export interface ResponseContract {
  readonly status: number;
  readonly description: string;
  readonly contentType: string;
  readonly schema: SchemaObject;
  /** JSON pointer of the schema inside the document. */
  readonly schemaPointer: string;
  readonly examples: readonly ResponseExample[];
}

export interface RequestBodyContract {
  readonly required: boolean;
  readonly contentType: string;
  readonly schema: SchemaObject;
  readonly schemaPointer: string;
  readonly examples: readonly NamedExample[];
}

export interface OperationContract {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /** JSON pointer of the Operation Object. */
  readonly pointer: string;
  /** True when every security requirement of the operation asks for an HTTP bearer token. */
  readonly requiresBearer: boolean;
  readonly requestBody?: RequestBodyContract;
  readonly responses: readonly ResponseContract[];
}

export interface Contract {
  readonly documentPath: string;
  readonly title: string;
  readonly servers: readonly string[];
  readonly operations: readonly OperationContract[];
  /** The dereferenced document, for resolving pointers such as the gap policy's error envelope. */
  readonly document: OpenAPIV3_1.Document;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The contract of a dereferenced document; `documentPath` only names it. */
export function contractFromDocument(document: OpenAPIV3_1.Document, documentPath: string): Contract {
  const operations: OperationContract[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (operation) operations.push(readOperation(document, path, method, operation));
    }
  }
  return {
    documentPath,
    title: document.info.title,
    servers: (document.servers ?? []).map((server) => server.url),
    operations,
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

function readOperation(
  document: OpenAPIV3_1.Document,
  path: string,
  method: string,
  operation: OpenAPIV3_1.OperationObject,
): OperationContract {
  const base = ['paths', path, method];
  const security = operation.security ?? document.security ?? [];
  const schemes = document.components?.securitySchemes ?? {};
  const requiresBearer =
    security.length > 0 &&
    security.every((requirement) =>
      Object.keys(requirement).some((name) => {
        const scheme = schemes[name] as OpenAPIV3_1.SecuritySchemeObject | undefined;
        return scheme?.type === 'http' && scheme.scheme.toLowerCase() === 'bearer';
      }),
    );
  const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const requestBody = body ? readRequestBody(body, [...base, 'requestBody']) : undefined;
  const responses: ResponseContract[] = [];
  for (const [code, response] of Object.entries(operation.responses ?? {})) {
    const status = Number(code);
    if (!Number.isInteger(status)) continue; // "default" and "2XX" ranges name no single status to call documented.
    const { description, content } = response as OpenAPIV3_1.ResponseObject;
    for (const [contentType, media] of Object.entries(content ?? {})) {
      if (!isJsonMediaType(contentType)) continue;
      const pointerBase = [...base, 'responses', code, 'content', contentType];
      responses.push({
        status,
        description,
        contentType,
        schema: (media.schema ?? {}) as SchemaObject,
        schemaPointer: toPointer([...pointerBase, 'schema']),
        examples: readExamples(media, pointerBase).map((example) => ({
          ...example,
          status,
          contentType,
          ...requestMatchOf(media, example.name),
        })),
      });
    }
  }
  return {
    method,
    path,
    operationId: operation.operationId ?? `${method} ${path}`,
    summary: operation.summary ?? '',
    description: operation.description ?? '',
    pointer: toPointer(base),
    requiresBearer,
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

function readRequestBody(body: OpenAPIV3_1.RequestBodyObject, base: string[]): RequestBodyContract | undefined {
  const entry = Object.entries(body.content).find(([type]) => isJsonMediaType(type));
  if (!entry) return undefined;
  const [contentType, media] = entry;
  const pointerBase = [...base, 'content', contentType];
  return {
    required: body.required === true,
    contentType,
    schema: (media.schema ?? {}) as SchemaObject,
    schemaPointer: toPointer([...pointerBase, 'schema']),
    examples: readExamples(media, pointerBase),
  };
}

function readExamples(media: OpenAPIV3_1.MediaTypeObject, pointerBase: string[]): NamedExample[] {
  const named = Object.entries(media.examples ?? {}).map(([name, example]) => {
    const { summary, value } = example as OpenAPIV3_1.ExampleObject;
    return {
      name,
      ...(summary === undefined ? {} : { summary }),
      value,
      pointer: toPointer([...pointerBase, 'examples', name]),
    };
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
