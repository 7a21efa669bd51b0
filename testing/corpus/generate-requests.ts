// The differential's requests for one document: valid ones for every operation (each security alternative in
// turn, path parameters filled, required parameters present, a valid body), and invalid ones that each break
// exactly one thing, labelled with the situation they put the server in. Deterministic: fast-check samples
// with a seed derived from the run's seed, the document's name and the operation, so adding an operation to a
// document does not change the requests of the others.
import fc from 'fast-check';
import type { DocOperation, DocParameter, SchemeCredential } from './read-operations.ts';
import { invalidBody, invalidParameterText, typeOf, validValues } from './schema-values.ts';

/** What a request does to the server, valid or not; the intended-differences table is keyed by it. */
export const SITUATIONS = [
  'valid',
  /** A valid request to an operation that documents no success (only 4xx, say): Prism answers its first status. */
  'valid-no-success-documented',
  'prefer-code',
  'missing-credentials',
  'invalid-credentials',
  'invalid-path-parameter',
  'invalid-parameter',
  'missing-parameter',
  'missing-body',
  'invalid-body',
  'malformed-json',
  'unsupported-media-type',
  'not-acceptable',
  'method-not-allowed',
  'unknown-path',
] as const;

export type Situation = (typeof SITUATIONS)[number];

export interface CorpusRequest {
  readonly situation: Situation;
  /** What the request breaks (or which alternative it uses), in words, for the report. */
  readonly detail: string;
  /** The operation it aims at, if any (the unknown path aims at none): its responses name the required headers. */
  readonly operation?: DocOperation;
  readonly method: string;
  /** Path and query, as sent. */
  readonly target: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface GenerateOptions {
  readonly seed: number;
  /** The document's name: part of each operation's seed. */
  readonly documentName: string;
  /** About how many requests to make for the document; each operation gets at least two valid ones. */
  readonly budget: number;
}

export const CREDENTIALS = {
  token: 'corpus-token',
  user: 'corpus',
  password: 'corpus-secret',
  apiKey: 'corpus-key',
} as const;

/** The media type no document offers, sent where the request must name one the operation does not take. */
const FOREIGN_MEDIA_TYPE = 'application/x-corpus-unknown';

/** A small stable hash (FNV-1a) so that seeds follow names, not positions. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

function text(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function entries(value: unknown): [string, string][] {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, text(item)])
    : [];
}

/** A path parameter's text in its style (simple, label, matrix), each item percent-encoded. */
export function pathText(parameter: DocParameter, value: unknown): string {
  const enc = encodeURIComponent;
  const items = Array.isArray(value) ? value.map((item) => enc(text(item))) : undefined;
  const pairs = entries(value).map(([key, item]) => [enc(key), enc(item)] as const);
  const isObject = items === undefined && value !== null && typeof value === 'object';
  switch (parameter.style) {
    case 'label': {
      const separator = parameter.explode ? '.' : ',';
      if (items) return `.${items.join(separator)}`;
      if (isObject) return `.${pairs.map(([k, v]) => (parameter.explode ? `${k}=${v}` : `${k},${v}`)).join(separator)}`;
      return `.${enc(text(value))}`;
    }
    case 'matrix': {
      const name = enc(parameter.name);
      if (items) return parameter.explode ? items.map((item) => `;${name}=${item}`).join('') : `;${name}=${items.join(',')}`;
      if (isObject)
        return parameter.explode
          ? pairs.map(([k, v]) => `;${k}=${v}`).join('')
          : `;${name}=${pairs.map(([k, v]) => `${k},${v}`).join(',')}`;
      return `;${name}=${enc(text(value))}`;
    }
    default:
      if (items) return items.join(',');
      if (isObject) return pairs.map(([k, v]) => (parameter.explode ? `${k}=${v}` : `${k},${v}`)).join(',');
      return enc(text(value));
  }
}

/** A query parameter as `name=value` pairs in its style (form, spaceDelimited, pipeDelimited, deepObject). */
export function queryPairs(parameter: DocParameter, value: unknown): string[] {
  const enc = encodeURIComponent;
  const name = enc(parameter.name);
  if (Array.isArray(value)) {
    const items = value.map((item) => enc(text(item)));
    if (parameter.explode) return items.map((item) => `${name}=${item}`);
    const separator = parameter.style === 'spaceDelimited' ? '%20' : parameter.style === 'pipeDelimited' ? '|' : ',';
    return [`${name}=${items.join(separator)}`];
  }
  if (value !== null && typeof value === 'object') {
    const pairs = entries(value).map(([key, item]) => [enc(key), enc(item)] as const);
    if (parameter.style === 'deepObject') return pairs.map(([key, item]) => `${name}%5B${key}%5D=${item}`);
    if (parameter.explode) return pairs.map(([key, item]) => `${key}=${item}`);
    return [`${name}=${pairs.map(([key, item]) => `${key},${item}`).join(',')}`];
  }
  return [`${name}=${enc(text(value))}`];
}

/** A header or cookie parameter's text (style simple, or form for cookies). */
function headerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(',');
  if (value !== null && typeof value === 'object') return entries(value).flat().join(',');
  return text(value);
}

/** Headers OpenAPI says a parameter may not define (they belong to content negotiation and security). */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

interface Parts {
  path: string;
  query: string[];
  headers: Record<string, string>;
  cookies: string[];
}

function emptyParts(operation: DocOperation): Parts {
  return { path: operation.path, query: [], headers: {}, cookies: [] };
}

/** A parameter's text sent as it is, not serialised from a value in its style: the invalid values are these. */
class RawText {
  constructor(readonly text: string) {}
}

function addParameter(parts: Parts, parameter: DocParameter, given: unknown): void {
  const raw = given instanceof RawText;
  const value = given instanceof RawText ? given.text : given;
  switch (parameter.in) {
    case 'path': {
      const filled = raw ? encodeURIComponent(String(value)) : pathText(parameter, value);
      parts.path = parts.path.split(`{${parameter.name}}`).join(filled);
      return;
    }
    case 'query':
      parts.query.push(
        ...(raw ? [`${encodeURIComponent(parameter.name)}=${encodeURIComponent(String(value))}`] : queryPairs(parameter, value)),
      );
      return;
    case 'header':
      parts.headers[parameter.name.toLowerCase()] = raw ? String(value) : headerText(value);
      return;
    case 'cookie':
      parts.cookies.push(`${parameter.name}=${encodeURIComponent(raw ? String(value) : headerText(value))}`);
      return;
  }
}

function addCredential(parts: Parts, scheme: SchemeCredential): void {
  switch (scheme.kind) {
    case 'bearer':
      parts.headers.authorization = `Bearer ${CREDENTIALS.token}`;
      return;
    case 'basic':
      parts.headers.authorization = `Basic ${Buffer.from(`${CREDENTIALS.user}:${CREDENTIALS.password}`).toString('base64')}`;
      return;
    case 'api-key':
      if (scheme.in === 'header') parts.headers[scheme.name.toLowerCase()] = CREDENTIALS.apiKey;
      else if (scheme.in === 'query') parts.query.push(`${encodeURIComponent(scheme.name)}=${CREDENTIALS.apiKey}`);
      else parts.cookies.push(`${scheme.name}=${CREDENTIALS.apiKey}`);
      return;
    case 'unsupported':
      return;
  }
}

/**
 * Whether one request can carry every scheme of an alternative: not when one of them cannot be sent over HTTP
 * here (mutualTLS, digest), nor when it combines basic and bearer, which both need the one Authorization header.
 */
export function isPresentable(alternative: readonly SchemeCredential[]): boolean {
  if (alternative.some((scheme) => scheme.kind === 'unsupported')) return false;
  const authorization = new Set(
    alternative.filter((scheme) => scheme.kind === 'bearer' || scheme.kind === 'basic').map((scheme) => scheme.kind),
  );
  return authorization.size <= 1;
}

function describeScheme(scheme: SchemeCredential): string {
  return scheme.kind === 'api-key'
    ? `API key in ${scheme.in} ${scheme.name}`
    : scheme.kind === 'unsupported'
      ? scheme.type
      : scheme.kind;
}

/** The boundary of every multipart body the differential sends (RFC 7578). */
const BOUNDARY = 'corpus-boundary-7d1f';

/** A multipart media type needs its boundary parameter; any other is sent as the document names it. */
function withBoundary(contentType: string): string {
  return contentType.toLowerCase().startsWith('multipart/') ? `${contentType}; boundary=${BOUNDARY}` : contentType;
}

/** The body's text in a media type: JSON for JSON types, a form for forms, the value's text otherwise. */
export function bodyText(contentType: string, value: unknown): string {
  const type = contentType.toLowerCase();
  if (type.startsWith('multipart/')) {
    const parts = entries(value).map(
      ([name, item]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${item}\r\n`,
    );
    return `${parts.join('')}--${BOUNDARY}--\r\n`;
  }
  if (type === 'application/x-www-form-urlencoded')
    return entries(value)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
  if (type.startsWith('text/') && typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/** The media type to send a body in: the first JSON one the operation takes, else its first. */
function chosenContentType(operation: DocOperation): string | undefined {
  const types = operation.requestBody?.contentTypes ?? [];
  return types.find((type) => /^application\/(.+\+)?json$/i.test(type)) ?? types.find((type) => !type.includes('*')) ?? types[0];
}

function isJsonType(type: string | undefined): boolean {
  return type !== undefined && /^application\/(.+\+)?json$/i.test(type);
}

interface Sample {
  readonly parameters: Record<string, unknown>;
  readonly body: unknown;
}

/** The operation's label, "GET /pets/{petId}". */
export function operationLabel(operation: DocOperation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

function parameterKey(parameter: DocParameter): string {
  return `${parameter.in}:${parameter.name}`;
}

function usableParameters(operation: DocOperation): DocParameter[] {
  return operation.parameters.filter(
    (parameter) => !(parameter.in === 'header' && RESERVED_HEADERS.has(parameter.name.toLowerCase())),
  );
}

/**
 * Prism 5.14 crashes (a TypeError in its simple-style deserializer, and the process exits) on a request that
 * leaves out an optional array- or object-typed header parameter, so such a parameter is always sent: the
 * differential needs Prism alive, and leaving the header out is not what it measures.
 */
function isPrismFragile(parameter: DocParameter): boolean {
  const type = typeOf(parameter.schema);
  return parameter.in === 'header' && (type === 'object' || type === 'array');
}

function sampleArbitrary(operation: DocOperation): fc.Arbitrary<Sample> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const parameter of usableParameters(operation)) {
    const key = parameterKey(parameter);
    // An empty array serialises to nothing at all (an absent query parameter, an empty path segment): at least one item.
    const schema =
      typeOf(parameter.schema) === 'array'
        ? { ...parameter.schema, minItems: Math.max(1, Number(parameter.schema.minItems ?? 1)) }
        : parameter.schema;
    shape[key] = validValues(schema, parameter.example);
    if (parameter.required || isPrismFragile(parameter)) requiredKeys.push(key);
  }
  const body = operation.requestBody;
  return fc.record({
    parameters: fc.record(shape, { requiredKeys }),
    body: body?.schema ? validValues(body.schema, body.example) : fc.constant(body?.example ?? {}),
  });
}

/** The requests for one document's operations, valid and invalid, in a fixed order. */
export function generateRequests(operations: readonly DocOperation[], options: GenerateOptions): CorpusRequest[] {
  const requests: CorpusRequest[] = [];
  const validPerOperation = Math.max(2, Math.min(5, Math.round(options.budget / 2 / Math.max(1, operations.length))));
  for (const operation of operations) {
    const seed = (options.seed ^ hash(`${options.documentName} ${operationLabel(operation)}`)) | 0;
    const samples = fc.sample(sampleArbitrary(operation), { seed, numRuns: validPerOperation });
    requests.push(...requestsFor(operation, samples));
  }
  const unknownSeed = (options.seed ^ hash(`${options.documentName} unknown`)) | 0;
  for (const segment of fc.sample(fc.stringMatching(/^[a-z]{4,10}$/), { seed: unknownSeed, numRuns: 2 })) {
    requests.push({
      situation: 'unknown-path',
      detail: 'a path no operation documents',
      method: 'GET',
      target: `/zz-corpus-unknown/${segment}`,
      headers: {},
    });
  }
  return requests;
}

function requestsFor(operation: DocOperation, samples: readonly Sample[]): CorpusRequest[] {
  const label = operationLabel(operation);
  const parameters = usableParameters(operation);
  const alternatives = operation.security.filter((alternative) => isPresentable(alternative));
  const open = operation.security.length === 0 || operation.security.some((alternative) => alternative.length === 0);
  const contentType = chosenContentType(operation);
  const requests: CorpusRequest[] = [];

  /** A request from a sample with every credential of one alternative, then changed by `edit` to break one thing. */
  const build = (
    situation: Situation,
    detail: string,
    sample: Sample,
    index: number,
    edit: (parts: Parts, body: { text?: string; type?: string }) => void = () => undefined,
  ): CorpusRequest => {
    const parts = emptyParts(operation);
    for (const parameter of parameters) {
      const key = parameterKey(parameter);
      if (key in sample.parameters) addParameter(parts, parameter, sample.parameters[key]);
    }
    const alternative = alternatives.length === 0 ? [] : (alternatives[index % alternatives.length] ?? []);
    for (const scheme of alternative) addCredential(parts, scheme);
    const body: { text?: string; type?: string } =
      operation.requestBody && contentType ? { text: bodyText(contentType, sample.body), type: withBoundary(contentType) } : {};
    edit(parts, body);
    const headers: Record<string, string> = { ...parts.headers };
    if (parts.cookies.length > 0) headers.cookie = parts.cookies.join('; ');
    if (body.type !== undefined) headers['content-type'] = body.type;
    const credentials = alternative.length === 0 ? 'no credentials' : alternative.map(describeScheme).join(' and ');
    return {
      situation,
      detail: situation.startsWith('valid') ? `with ${credentials}` : detail,
      operation,
      method: operation.method.toUpperCase(),
      target: parts.query.length > 0 ? `${parts.path}?${parts.query.join('&')}` : parts.path,
      headers,
      ...(body.text === undefined ? {} : { body: body.text }),
    };
  };

  const canBeValid = open || alternatives.length > 0;
  const first = samples[0];
  if (!first) return requests;
  const documentsSuccess = operation.responses.some((response) => /^2/.test(response.status) || response.status === 'default');
  const validSituation = documentsSuccess ? 'valid' : 'valid-no-success-documented';
  if (canBeValid) requests.push(...samples.map((sample, index) => build(validSituation, '', sample, index)));
  const numeric = operation.responses.filter((response) => /^\d{3}$/.test(response.status)).map((response) => response.status);
  for (const status of numeric.slice(0, 3)) {
    requests.push(
      build('prefer-code', `Prefer: code=${status}`, first, 0, (parts) => {
        parts.headers.prefer = `code=${status}`;
      }),
    );
  }
  if (!open && operation.security.length > 0) {
    requests.push(
      build('missing-credentials', 'no credentials at all', first, 0, (parts) => {
        for (const alternative of operation.security) {
          for (const scheme of alternative) {
            if (scheme.kind === 'bearer' || scheme.kind === 'basic') delete parts.headers.authorization;
            if (scheme.kind === 'api-key' && scheme.in === 'header') delete parts.headers[scheme.name.toLowerCase()];
            if (scheme.kind === 'api-key' && scheme.in === 'query')
              parts.query = parts.query.filter((pair) => !pair.startsWith(`${encodeURIComponent(scheme.name)}=`));
            if (scheme.kind === 'api-key' && scheme.in === 'cookie')
              parts.cookies = parts.cookies.filter((pair) => !pair.startsWith(`${scheme.name}=`));
          }
        }
      }),
    );
    const bearerOnly = operation.security.every(
      (alternative) => alternative.length > 0 && alternative.every((scheme) => scheme.kind === 'bearer'),
    );
    if (bearerOnly) {
      requests.push(
        build('invalid-credentials', 'Authorization: Token corpus-token (not the Bearer scheme)', first, 0, (parts) => {
          parts.headers.authorization = `Token ${CREDENTIALS.token}`;
        }),
      );
    }
  }
  if (!canBeValid) return requests;

  let invalidParameters = 0;
  for (const parameter of parameters) {
    const schema =
      typeOf(parameter.schema) === 'array' ? ((parameter.schema.items ?? {}) as Record<string, unknown>) : parameter.schema;
    const invalid = invalidParameterText(schema);
    if (!invalid) continue;
    if (parameter.in !== 'path' && invalidParameters >= 3) continue;
    if (parameter.in !== 'path') invalidParameters++;
    const situation = parameter.in === 'path' ? 'invalid-path-parameter' : 'invalid-parameter';
    const sample = { ...first, parameters: { ...first.parameters, [parameterKey(parameter)]: new RawText(invalid.text) } };
    requests.push(
      build(situation, `${parameter.in} parameter ${parameter.name}=${JSON.stringify(invalid.text)} (${invalid.why})`, sample, 0),
    );
  }
  const missable = parameters.filter((candidate) => candidate.required && candidate.in !== 'path' && !isPrismFragile(candidate));
  for (const parameter of missable.slice(0, 2)) {
    requests.push(
      build('missing-parameter', `without the required ${parameter.in} parameter ${parameter.name}`, first, 0, (parts) => {
        if (parameter.in === 'query') {
          const dropped = new Set(queryPairs(parameter, first.parameters[parameterKey(parameter)]));
          parts.query = parts.query.filter((pair) => !dropped.has(pair));
        }
        if (parameter.in === 'header') delete parts.headers[parameter.name.toLowerCase()];
        if (parameter.in === 'cookie') parts.cookies = parts.cookies.filter((pair) => !pair.startsWith(`${parameter.name}=`));
      }),
    );
  }
  const requestBody = operation.requestBody;
  if (requestBody && contentType) {
    if (requestBody.required) {
      requests.push(
        build('missing-body', 'no body (and no Content-Type) where one is required', first, 0, (_parts, body) => {
          delete body.text;
          delete body.type;
        }),
      );
    }
    if (isJsonType(contentType)) {
      const invalid = invalidBody(requestBody.schema, first.body);
      if (invalid) {
        requests.push(
          build('invalid-body', `a JSON body ${invalid.why}`, first, 0, (_parts, body) => {
            body.text = JSON.stringify(invalid.value);
          }),
        );
      }
      requests.push(
        build('malformed-json', 'a body declared as JSON that does not parse', first, 0, (_parts, body) => {
          body.text = '{"unterminated": ';
        }),
      );
    }
    if (!requestBody.contentTypes.some((type) => type.includes('*'))) {
      requests.push(
        build('unsupported-media-type', `Content-Type: ${FOREIGN_MEDIA_TYPE}`, first, 0, (_parts, body) => {
          body.type = FOREIGN_MEDIA_TYPE;
        }),
      );
    }
  }
  requests.push(
    build('not-acceptable', `Accept: ${FOREIGN_MEDIA_TYPE}`, first, 0, (parts) => {
      parts.headers.accept = FOREIGN_MEDIA_TYPE;
    }),
  );
  const wrongMethod = ['patch', 'put', 'delete', 'post', 'get'].find((method) => !operation.pathMethods.includes(method));
  if (wrongMethod) {
    const request = build(
      'method-not-allowed',
      `${wrongMethod.toUpperCase()}, which ${operation.path} does not document`,
      first,
      0,
      (_parts, body) => {
        // A GET carries no body (RFC 9110 section 9.3.1): the request stays one a client would send.
        if (wrongMethod === 'get') {
          delete body.text;
          delete body.type;
        }
      },
    );
    requests.push({ ...request, method: wrongMethod.toUpperCase() });
  }
  return requests.map((request) => ({ ...request, detail: request.detail || label }));
}
