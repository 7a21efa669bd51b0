import prismCore from '@stoplight/prism-core';
import prismHttp, { type IHttpRequest } from '@stoplight/prism-http';
import type { HttpMethod, IHttpOperation } from '@stoplight/types';

// prism-http is CommonJS with tslib re-exports that Node's ESM loader cannot name, hence the default imports.
const { createInstance, getHttpOperationsFromSpec } = prismHttp;

/** The request as the mock hands it to Prism. */
export interface EngineRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Which documented answer to serve; Prism validates the request either way. */
export interface EngineChoice {
  readonly exampleKey?: string;
  readonly status?: number;
}

/** Why Prism refused a request, in Prism's own terms, translated to the gap policy by answer-request.ts. */
export type RefusalKind =
  | 'unauthorized'
  | 'invalid-request'
  | 'invalid-content-type'
  | 'not-acceptable'
  | 'no-path'
  | 'no-method'
  | 'no-example'
  | 'other';

export type EngineResult =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: unknown;
    }
  | {
      readonly kind: 'refusal';
      readonly refusal: RefusalKind;
      readonly status: number;
      readonly detail: string;
      /** Prism's sentences about the request, e.g. "Request body property mfaType must be string". */
      readonly problems: readonly string[];
    };

export interface PrismEngine {
  answer(request: EngineRequest, choice: EngineChoice): Promise<EngineResult>;
}

const REFUSALS: ReadonlyMap<string, RefusalKind> = new Map([
  [prismHttp.UNAUTHORIZED.type, 'unauthorized'],
  [prismHttp.UNPROCESSABLE_ENTITY.type, 'invalid-request'],
  [prismHttp.INVALID_CONTENT_TYPE.type, 'invalid-content-type'],
  [prismHttp.NOT_ACCEPTABLE.type, 'not-acceptable'],
  [prismHttp.NO_PATH_MATCHED_ERROR.type, 'no-path'],
  [prismHttp.NO_METHOD_MATCHED_ERROR.type, 'no-method'],
  [prismHttp.NOT_FOUND.type, 'no-example'],
]);

/** Starts Prism's HTTP mocking engine on the document: the same engine `prism mock` runs, without its server. */
export async function createPrismEngine(documentPath: string): Promise<PrismEngine> {
  const operations: IHttpOperation[] = await getHttpOperationsFromSpec(documentPath);
  // Prism's own logger, silenced: the mock prints one line per request itself, and Prism's per-request
  // logging is a large share of `prism mock`'s cost (see docs/decisions/0002-mock-wraps-prism-http.md).
  const logger = prismCore.createLogger('mock', { level: 'silent' });
  const baseConfig = {
    checkSecurity: true,
    validateRequest: true,
    // The mock only serves the document's own examples, which lint-contract validates; re-validating each
    // answer would cost time and find nothing.
    validateResponse: false,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false as const,
    mock: { dynamic: false },
  };
  const prism = createInstance(baseConfig, { logger });

  return {
    async answer(request, choice) {
      const input: IHttpRequest = {
        method: request.method.toLowerCase() as HttpMethod,
        url: { path: request.path, query: { ...request.query } },
        headers: { ...request.headers },
        body: request.body,
      };
      const config = {
        ...baseConfig,
        mock: {
          dynamic: false,
          ...(choice.exampleKey === undefined ? {} : { exampleKey: choice.exampleKey }),
          ...(choice.status === undefined ? {} : { code: choice.status }),
        },
      };
      const result = await prism.request(input, operations, config)();
      if (result._tag === 'Right') {
        const { statusCode, headers, body } = result.right.output;
        return { kind: 'answer', status: statusCode, headers: headers ?? {}, body };
      }
      const error = result.left as Error & { status?: number; detail?: string; additional?: { validation?: unknown } };
      return {
        kind: 'refusal',
        refusal: refusalKind(error),
        status: error.status ?? 500,
        detail: error.detail ?? error.message,
        problems: readProblems(error.additional?.validation),
      };
    },
  };
}

/**
 * Prism names its errors "https://stoplight.io/prism/errors#TYPE" after the templates' type; when it falls back
 * to a default response and that fails too, the type only survives inside the message.
 */
function refusalKind(error: Error): RefusalKind {
  const type = /errors#([A-Z_]+)/.exec(`${error.name} ${error.message}`)?.[1];
  return (type && REFUSALS.get(type)) || 'other';
}

function readProblems(validation: unknown): string[] {
  if (!Array.isArray(validation)) return [];
  return validation.flatMap((item: unknown) => {
    const message = (item as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? [message] : [];
  });
}
