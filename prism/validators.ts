import prismHttp, { type IHttpRequest, type IHttpResponse } from '@stoplight/prism-http';
// Prism's validators are not re-exported from the package root; the version is pinned exactly (docs/decisions/0001).
import { validateInput, validateOutput, validateSecurity } from '@stoplight/prism-http/dist/validator/index.js';
import type { HttpMethod, IHttpOperation } from '@stoplight/types';
import type { EngineRequest } from './engine.ts';

/** What a Prism diagnostic is about, read from its English message here and nowhere else. */
export type DiagnosticTopic = 'security' | 'status' | 'other';

/** One diagnostic of Prism's validators, as plain data. */
export interface PrismDiagnostic {
  readonly side: 'request' | 'response';
  /** Where, as Prism names it, e.g. ["body", "success"]. */
  readonly location: readonly string[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly topic: DiagnosticTopic;
}

export interface PrismResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Prism's operations for a document, for routing an exchange to the operation its validators need. */
export function readPrismOperations(documentPath: string): Promise<IHttpOperation[]> {
  return prismHttp.getHttpOperationsFromSpec(documentPath);
}

/** Runs Prism's security, input and output validators on one exchange of one operation. */
export function validateWithPrism(operation: IHttpOperation, request: EngineRequest, response: PrismResponse): PrismDiagnostic[] {
  const input: IHttpRequest = {
    method: request.method.toLowerCase() as HttpMethod,
    url: { path: request.path, query: { ...request.query } },
    headers: { ...request.headers },
    body: request.body,
  };
  const output: IHttpResponse = { statusCode: response.status, headers: { ...response.headers }, body: response.body };
  const diagnostics: PrismDiagnostic[] = [];
  for (const [side, result] of [
    ['request', validateSecurity({ resource: operation, element: input })],
    ['request', validateInput({ resource: operation, element: input })],
    ['response', validateOutput({ resource: operation, element: output })],
  ] as const) {
    if (result._tag !== 'Left') continue;
    for (const diagnostic of result.left) {
      diagnostics.push({
        side,
        location: diagnostic.path ?? [],
        message: diagnostic.message,
        // Prism's DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
        severity: diagnostic.severity === 0 ? 'error' : 'warning',
        topic: /security/i.test(diagnostic.message) ? 'security' : /status code/i.test(diagnostic.message) ? 'status' : 'other',
      });
    }
  }
  return diagnostics;
}
