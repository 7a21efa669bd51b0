// What a document uses that the engine does not implement. A feature whose absence would change a verdict (a
// parameter style it cannot parse, a security scheme it cannot check) is refused when the document loads; one
// that can be passed over safely (a callback, an XML body's schema) is listed as not judged in every report and
// on the mock's index page. Nothing is ignored in silence: a silent subset is a false verdict.
import type { OpenAPIV3_1 } from 'openapi-types';
import { KNOWN_FORMATS } from './compile-validators.ts';
import { toPointer } from './json-pointer.ts';
import { isJsonMediaType, mediaTypeOf } from './media-type.ts';

export interface UnsupportedFeature {
  /** The feature in a few words, e.g. 'the parameter style "matrix"'. */
  readonly feature: string;
  /** JSON pointer into the document. */
  readonly pointer: string;
  /** What to do about it, or what is judged instead. */
  readonly advice: string;
}

/** Header parameters a document may describe but the specification says to ignore: the request's own fields. */
export const IGNORED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const STYLES: Readonly<Record<string, readonly string[]>> = {
  path: ['simple'],
  header: ['simple'],
  query: ['form', 'deepObject'],
  cookie: ['form'],
};

/** The features of a dereferenced document that the engine refuses, and those it passes over as not judged. */
export function findUnsupported(document: unknown): { refused: UnsupportedFeature[]; notJudged: UnsupportedFeature[] } {
  const refused: UnsupportedFeature[] = [];
  const notJudged: UnsupportedFeature[] = [];
  const doc = document as Partial<OpenAPIV3_1.Document> & { swagger?: unknown; openapi?: unknown };
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\.\d+/.test(doc.openapi)) {
    const version = typeof doc.swagger === 'string' ? `Swagger ${doc.swagger}` : `version ${JSON.stringify(doc.openapi)}`;
    refused.push({
      feature: `OpenAPI ${version}`,
      pointer: toPointer([typeof doc.swagger === 'string' ? 'swagger' : 'openapi']),
      advice: 'the kit reads OpenAPI 3.0 and 3.1 documents; convert it (e.g. with swagger2openapi) first.',
    });
    return { refused, notJudged };
  }
  if (doc.webhooks && Object.keys(doc.webhooks).length > 0) {
    notJudged.push({ feature: 'webhooks', pointer: '/webhooks', advice: 'requests the API sends are not judged.' });
  }
  for (const [name, raw] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const scheme = raw as OpenAPIV3_1.SecuritySchemeObject;
    const pointer = toPointer(['components', 'securitySchemes', name]);
    const ok =
      scheme.type === 'apiKey'
        ? ['header', 'query', 'cookie'].includes(scheme.in)
        : scheme.type === 'http'
          ? ['bearer', 'basic'].includes(String(scheme.scheme).toLowerCase())
          : scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
    if (!ok) {
      const what =
        scheme.type === 'http'
          ? `the HTTP authentication scheme "${scheme.scheme}"`
          : `the security scheme type "${scheme.type}"`;
      refused.push({
        feature: what,
        pointer,
        advice: 'the kit checks http bearer and basic, apiKey in a header, query or cookie, and oauth2 or openIdConnect tokens.',
      });
    }
  }
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = (rawItem ?? {}) as Record<string, unknown>;
    checkParameters(item.parameters, ['paths', path, 'parameters'], refused, notJudged);
    for (const method of METHODS) {
      const operation = item[method] as OpenAPIV3_1.OperationObject | undefined;
      if (!operation) continue;
      const base = ['paths', path, method];
      checkParameters(operation.parameters, [...base, 'parameters'], refused, notJudged);
      const requirements = operation.security ?? doc.security ?? [];
      const where = operation.security ? [...base, 'security'] : ['security'];
      requirements.forEach((requirement, index) => {
        for (const name of Object.keys(requirement)) {
          if (doc.components?.securitySchemes?.[name] === undefined) {
            notJudged.push({
              feature: `the security scheme "${name}", which components.securitySchemes does not define`,
              pointer: toPointer([...where, String(index)]),
              advice: 'that alternative is not checked; define the scheme to have it judged.',
            });
          }
        }
      });
      if (operation.callbacks && Object.keys(operation.callbacks).length > 0) {
        notJudged.push({
          feature: 'callbacks',
          pointer: toPointer([...base, 'callbacks']),
          advice: 'requests the API sends back are not judged.',
        });
      }
      const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
      for (const type of Object.keys(body?.content ?? {})) {
        if (!isJudgedBody(type)) {
          notJudged.push({
            feature: `the ${type} request body's schema`,
            pointer: toPointer([...base, 'requestBody', 'content', type]),
            advice: 'its media type is checked; its content is not parsed.',
          });
        }
      }
      for (const [key, rawResponse] of Object.entries(operation.responses ?? {})) {
        const response = rawResponse as OpenAPIV3_1.ResponseObject;
        const at = [...base, 'responses', key];
        if (!/^(?:[1-5]\d\d|[1-5]XX|default)$/i.test(key)) {
          refused.push({
            feature: `the response key "${key}"`,
            pointer: toPointer(at),
            advice: 'a response key is a status code, a range such as 4XX, or default.',
          });
        }
        for (const type of Object.keys(response.content ?? {})) {
          if (!isJudgedBody(type)) {
            notJudged.push({
              feature: `the ${type} response body's schema`,
              pointer: toPointer([...at, 'content', type]),
              advice: 'its Content-Type is checked; its content is not parsed.',
            });
          }
        }
        for (const [name, rawHeader] of Object.entries(response.headers ?? {})) {
          if ((rawHeader as OpenAPIV3_1.HeaderObject).content) {
            notJudged.push({
              feature: `the header ${name} described by content`,
              pointer: toPointer([...at, 'headers', name]),
              advice: 'its presence is checked; its value is not.',
            });
          }
        }
        if (response.links && Object.keys(response.links).length > 0) {
          notJudged.push({
            feature: 'links',
            pointer: toPointer([...at, 'links']),
            advice: 'links are documentation only here.',
          });
        }
      }
    }
  }
  notJudged.push(...unknownFormats(doc.paths ?? {}));
  return { refused, notJudged };
}

/** Formats the validator does not know, each listed once with where it is first used: they are not checked. */
function unknownFormats(paths: unknown): UnsupportedFeature[] {
  const known = new Set(KNOWN_FORMATS);
  const found = new Map<string, string>();
  const seen = new WeakSet<object>();
  const walk = (node: unknown, at: string[]): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') {
        if (!known.has(value) && !found.has(value)) found.set(value, toPointer(['paths', ...at, key]));
      } else walk(value, [...at, key]);
    }
  };
  walk(paths, []);
  return [...found].map(([format, pointer]) => ({
    feature: `the format "${format}"`,
    pointer,
    advice: 'the validator does not know it, so values in it are not checked (OpenAPI lets formats be open).',
  }));
}

/** Bodies whose content the engine parses and validates: JSON (and +json) and text/plain as a string. */
function isJudgedBody(type: string): boolean {
  return isJsonMediaType(type) || mediaTypeOf(type) === 'text/plain';
}

function checkParameters(list: unknown, at: string[], refused: UnsupportedFeature[], notJudged: UnsupportedFeature[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((raw, index) => {
    const parameter = raw as OpenAPIV3_1.ParameterObject;
    const pointer = toPointer([...at, String(index)]);
    const location = String(parameter.in);
    const styles = STYLES[location];
    if (!styles) {
      refused.push({
        feature: `parameters in "${location}"`,
        pointer: `${pointer}/in`,
        advice: 'parameters live in path, query, header or cookie.',
      });
      return;
    }
    if (location === 'header' && IGNORED_HEADERS.has(String(parameter.name).toLowerCase())) {
      notJudged.push({
        feature: `the header parameter ${parameter.name}`,
        pointer,
        advice: 'OpenAPI says to ignore it (section 4.8.12.1): the request itself carries that field.',
      });
      return;
    }
    if (parameter.content) {
      refused.push({
        feature: 'a parameter described by content rather than schema',
        pointer: `${pointer}/content`,
        advice: 'describe it with schema (and style) instead.',
      });
      return;
    }
    if (parameter.style !== undefined && !styles.includes(parameter.style)) {
      refused.push({
        feature: `the ${location} parameter style "${parameter.style}"`,
        pointer: `${pointer}/style`,
        advice: `the kit parses ${location} parameters in style ${styles.join(' or ')}.`,
      });
    }
  });
}
