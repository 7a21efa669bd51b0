import { resolvePointer, toPointer } from '../openapi/index.ts';
import type { Finding, ObservedRequest, ObservedResponse } from './validate-exchange.ts';

/**
 * One plain sentence per finding: which request, which field, what the document expects, what came.
 * The bearer token of the request is replaced wherever it would be printed.
 */
export function describeFinding(finding: Finding, request: ObservedRequest, response: ObservedResponse): string {
  const [area = '', ...rest] = finding.location;
  const subject = finding.side === 'request' ? request : response;
  const field =
    area === 'body'
      ? `${finding.side} body ${rest.length > 0 ? toPointer(rest) : '(whole)'}`
      : finding.location.length > 0
        ? `${finding.side} ${finding.location.join(' ')}`
        : finding.side === 'request' && /security/i.test(finding.message)
          ? 'request Authorization header'
          : finding.side;
  let got = '';
  if (area === 'body') {
    const value = resolvePointer(subject.body, toPointer(rest));
    got = `; got ${value === undefined ? 'nothing' : excerpt(JSON.stringify(value) ?? String(value))}`;
  } else if (finding.side === 'response' && /status code/i.test(finding.message)) {
    got = `; got ${response.status}`;
  }
  const sentence = `${request.method.toUpperCase()} ${request.path} → ${response.status}: ${field}: ${finding.message}${got}.`;
  return redactBearer(sentence, request.headers.authorization);
}

function excerpt(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function redactBearer(text: string, authorization: string | undefined): string {
  const token = authorization?.replace(/^\S+\s+/, '').trim();
  return token ? text.replaceAll(token, '$TOKEN') : text;
}
