import { resolvePointer, toPointer } from '../openapi/index.ts';
import { createRedactor } from '../runtime/redact.ts';
import type { Finding, ObservedRequest, ObservedResponse } from './validate-exchange.ts';

/**
 * One plain sentence per finding: which request, which field, what the document expects, what came.
 * The bearer token of the request is replaced wherever it would be printed.
 */
export function describeFinding(finding: Finding, request: ObservedRequest, response: ObservedResponse): string {
  const redactor = createRedactor({ token: request.headers.authorization?.replace(/^\S+\s+/, '').trim() });
  const [area = '', ...rest] = finding.location;
  const subject = finding.side === 'request' ? request : response;
  const field =
    area === 'body'
      ? `${finding.side} body ${rest.length > 0 ? toPointer(rest) : '(whole)'}`
      : finding.location.length > 0
        ? `${finding.side} ${finding.location.join(' ')}`
        : finding.side === 'request' && finding.topic === 'security'
          ? 'request Authorization header'
          : finding.side;
  let got = '';
  if (area === 'body') {
    const value = resolvePointer(subject.body, toPointer(rest));
    got = `; got ${value === undefined ? 'nothing' : redactor.excerpt(JSON.stringify(value) ?? String(value))}`;
  } else if (finding.side === 'response' && finding.topic === 'status') {
    got = `; got ${response.status}`;
  }
  return redactor.text(
    `${request.method.toUpperCase()} ${request.path} → ${response.status}: ${field}: ${finding.message}${got}.`,
  );
}
