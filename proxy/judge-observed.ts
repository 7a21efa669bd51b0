import type { IncomingHttpHeaders } from 'node:http';
import { judgeExchange } from '../contracts/index.ts';
import {
  type CaseKind,
  type CheckContext,
  type Contract,
  checksFor,
  type Exchange,
  type FailureKind,
  type GapRuleId,
  judgeRequest,
  MAX_BODY_BYTES,
  runCheck,
  type Violation,
  validatorCache,
} from '../engine/index.ts';
import { decodeBody } from '../runtime/decode-body.ts';
import { flattenHeaders, HOP_BY_HOP } from '../runtime/http-headers.ts';
import type { CappedBody } from '../runtime/read-capped.ts';
import { createRedactor, type Redactor } from '../runtime/redact.ts';
import type { Upstream } from './upstream-target.ts';

/** One exchange as the proxy saw it pass: the request, and the answer or why none came. */
export interface Observed {
  readonly method: string;
  readonly path: string;
  /** "" or "?…". */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly requestBody: CappedBody;
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: CappedBody;
    readonly durationMs: number;
  };
  readonly failure?: { readonly kind: FailureKind; readonly message: string };
}

/** What the proxy reports: the backend broke the contract, or the client sent a request the contract refuses. */
export type ProxyFinding =
  | {
      readonly kind: 'violation';
      readonly method: string;
      readonly path: string;
      readonly status?: number;
      readonly violation: Violation;
      readonly exchange: Exchange;
    }
  | {
      readonly kind: 'client';
      readonly method: string;
      readonly path: string;
      readonly rule: GapRuleId;
      readonly problem: string;
    };

export interface ProxyChecks {
  readonly contract: Contract;
  readonly context: CheckContext & { readonly redactor: Redactor };
}

/**
 * Judges an observed exchange with the suite's own steps: the request is classified as the suite would have
 * built it (classifyRequest), then the checks of that kind of case run on the answer (judgeExchange). One
 * exchange gets one verdict, whichever tool sees it.
 */
export function judgeObserved(checks: ProxyChecks, upstream: Upstream, observed: Observed): ProxyFinding[] {
  // Built when something is to be shown, not for every exchange: most exchanges are clean, and redacting a clean
  // exchange was a fifth of the proxy's work.
  let built: Redactor | undefined;
  const real = (): Redactor => {
    built ??= createRedactor({ token: credentials(observed.headers.authorization) });
    return built;
  };
  const redactor: Redactor = {
    text: (text) => real().text(text),
    excerpt: (text, max) => real().excerpt(text, max),
    value: (value) => real().value(value),
  };
  const method = observed.method.toUpperCase();
  const request = decodeBody(observed.requestBody, header(observed.headers['content-encoding']), MAX_BODY_BYTES);
  const headers = flattenHeaders(observed.headers);
  // The request is read through the engine's pipeline, as the mock and the suite's reference server read it.
  const verdict = judgeRequest(
    { contract: checks.contract, policy: checks.context.policy, validatorFor: validatorCache() },
    {
      method,
      path: observed.path,
      query: new URLSearchParams(observed.query),
      headers,
      body:
        observed.requestBody.size === 0
          ? { kind: 'none' }
          : observed.requestBody.size > MAX_BODY_BYTES
            ? { kind: 'too-large', limit: MAX_BODY_BYTES }
            : { kind: 'read', text: request.text, size: observed.requestBody.size },
    },
  );
  const refusal = verdict.kind === 'refused' ? verdict.refusal : undefined;
  const findings: ProxyFinding[] = refusal
    ? [
        {
          kind: 'client',
          method,
          path: redactor.text(observed.path),
          rule: refusal.rule,
          problem: redactor.excerpt(`${refusal.problem} (at ${refusal.pointer})`, 300),
        },
      ]
    : [];
  const kind: CaseKind = !refusal ? 'positive' : refusal.stage === 'security' ? 'auth' : 'negative';
  const testCase: Parameters<typeof judgeExchange>[1] = {
    id: `${method} ${observed.path}`,
    kind,
    ...(verdict.operation ? { operation: verdict.operation } : {}),
    request: { method, path: observed.path },
    ...(refusal ? { rule: refusal.rule } : {}),
  };
  // Built by leaving out, not by deleting from a copy: a deleted property turns the object into a slow dictionary.
  const requestHeaders: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined && name !== 'content-length' && !HOP_BY_HOP.has(name)) requestHeaders[name] = value;
  }
  const exchange: Exchange = {
    request: {
      method,
      url: `${upstream.shown}${observed.path}${observed.query}`,
      headers: requestHeaders,
      ...(request.text ? { body: request.text } : {}),
    },
    ...(observed.response ? { response: recordedResponse(observed.response) } : {}),
    ...(observed.failure ? { failure: observed.failure } : {}),
  };
  const context = { ...checks.context, redactor };
  // The checks first, as values: only an exchange with something to report is judged again into a redacted record.
  const clean = checksFor(testCase).every((check) => {
    const outcome = runCheck(check, testCase, exchange, context);
    return outcome.kind === 'skip' || (outcome.kind === 'pass' && outcome.warnings.length === 0);
  });
  if (clean) return findings;
  const path = redactor.text(observed.path);
  const result = judgeExchange(context, testCase, exchange);
  for (const check of result.checks) {
    if (check.state !== 'failed' && check.state !== 'warned') continue;
    for (const violation of check.violations) {
      findings.push({
        kind: 'violation',
        method,
        path,
        ...(observed.response ? { status: observed.response.status } : {}),
        violation,
        exchange: result.exchange ?? exchange,
      });
    }
  }
  return findings;
}

function recordedResponse(response: NonNullable<Observed['response']>): NonNullable<Exchange['response']> {
  const body = decodeBody(response.body, response.headers['content-encoding'], MAX_BODY_BYTES);
  return {
    status: response.status,
    headers: response.headers,
    body: body.text,
    truncated: body.truncated,
    durationMs: response.durationMs,
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Whatever follows the scheme of an Authorization header: a bearer token, Basic credentials, anything. */
function credentials(authorization: string | undefined): string | undefined {
  return /^\S+ +(.+)$/.exec(authorization ?? '')?.[1]?.trim();
}
