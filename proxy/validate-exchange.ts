import prismHttp, { type IHttpRequest, type IHttpResponse } from '@stoplight/prism-http';
// Prism's validators are not re-exported from the package root; the version is pinned exactly (docs/decisions/0001).
import { validateInput, validateOutput, validateSecurity } from '@stoplight/prism-http/dist/validator/index.js';
import type { HttpMethod, IHttpOperation } from '@stoplight/types';
import type { EngineRequest } from '../mock/prism-engine.ts';
import { routeOperation } from '../mock/route-operation.ts';
import type { GapPolicy } from '../openapi/index.ts';

/** One way in which a request or a response broke the document, as Prism's validator found it. */
export interface Finding {
  readonly side: 'request' | 'response';
  /** Where, as Prism names it, e.g. ["body", "success"]. */
  readonly location: readonly string[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** A request seen on the wire: the same shape the mock hands Prism. */
export type ObservedRequest = EngineRequest;

export interface ObservedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type ExchangeValidator = (request: ObservedRequest, response: ObservedResponse) => Finding[];

/** Prism's input, security and output validators, bound to the document's operations. */
export async function createExchangeValidator(documentPath: string, policy: GapPolicy): Promise<ExchangeValidator> {
  // A refused bad request may answer with a status the document omits, as long as the gap policy allows it.
  const policyStatuses = new Set(Object.values(policy.rules).flatMap((rule) => rule.allowedStatuses));
  const operations: IHttpOperation[] = await prismHttp.getHttpOperationsFromSpec(documentPath);
  return (request, response) => {
    const route = routeOperation(operations, request.method, request.path);
    if (route.kind !== 'operation') {
      return [
        {
          side: 'request',
          location: [],
          severity: 'error',
          message:
            route.kind === 'no-path'
              ? 'no operation is documented at this path'
              : `the path documents only ${route.allowed.join(', ')}`,
        },
      ];
    }
    const resource = route.operation;
    const input: IHttpRequest = {
      method: request.method.toLowerCase() as HttpMethod,
      url: { path: request.path, query: { ...request.query } },
      headers: { ...request.headers },
      body: request.body,
    };
    const output: IHttpResponse = { statusCode: response.status, headers: { ...response.headers }, body: response.body };
    const findings: Finding[] = [];
    for (const [side, result] of [
      ['request', validateSecurity({ resource, element: input })],
      ['request', validateInput({ resource, element: input })],
      ['response', validateOutput({ resource, element: output })],
    ] as const) {
      if (result._tag === 'Left') {
        for (const diagnostic of result.left) {
          findings.push({
            side,
            location: diagnostic.path ?? [],
            message: diagnostic.message,
            // Prism's DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
            severity: diagnostic.severity === 0 ? 'error' : 'warning',
          });
        }
      }
    }
    const requestWasBad = findings.some((finding) => finding.side === 'request');
    return findings.filter(
      (finding) =>
        !(
          requestWasBad &&
          finding.side === 'response' &&
          /status code/i.test(finding.message) &&
          policyStatuses.has(response.status)
        ),
    );
  };
}
