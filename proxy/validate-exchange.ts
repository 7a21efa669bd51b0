import type { IHttpOperation } from '@stoplight/types';
import type { GapPolicy } from '../openapi/index.ts';
import { routeOperation } from '../openapi/route-operation.ts';
import type { EngineRequest } from '../prism/engine.ts';
import { type PrismDiagnostic, type PrismResponse, readPrismOperations, validateWithPrism } from '../prism/validators.ts';

/** One way in which a request or a response broke the document, as Prism's validator found it. */
export type Finding = Omit<PrismDiagnostic, 'topic'> & { readonly topic?: PrismDiagnostic['topic'] };

/** A request seen on the wire: the same shape the mock hands Prism. */
export type ObservedRequest = EngineRequest;

export type ObservedResponse = PrismResponse;

export type ExchangeValidator = (request: ObservedRequest, response: ObservedResponse) => Finding[];

/** Prism's input, security and output validators, bound to the document's operations. */
export async function createExchangeValidator(documentPath: string, policy: GapPolicy): Promise<ExchangeValidator> {
  // A refused bad request may answer with a status the document omits, as long as the gap policy allows it.
  const policyStatuses = new Set(Object.values(policy.rules).flatMap((rule) => rule.allowedStatuses));
  const operations: IHttpOperation[] = await readPrismOperations(documentPath);
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
    const findings = validateWithPrism(route.operation, request, response);
    const requestWasBad = findings.some((finding) => finding.side === 'request');
    return findings.filter(
      (finding) =>
        !(requestWasBad && finding.side === 'response' && finding.topic === 'status' && policyStatuses.has(response.status)),
    );
  };
}
