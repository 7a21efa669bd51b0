// Table plumbing for the engine's stage tests: a request written in a line, judged by the real pipeline on a
// real document, and the verdict in a form a table row can state.
import { resolve } from 'node:path';
import { type EngineContext, type EngineRequest, judgeRequest, validatorCache } from '../engine/index.ts';
import { loadContract, policyFor } from '../openapi/index.ts';

/** The engine fixture (testing/corpus/features.yaml) and the kit's own document, ready to judge with. */
export async function engineContext(document: 'features' | 'flashback'): Promise<EngineContext> {
  const path = document === 'features' ? resolve('testing/corpus/features.yaml') : resolve('openapi/flashback.yaml');
  return { contract: await loadContract(path), policy: policyFor(path), validatorFor: validatorCache() };
}

export interface RequestLine {
  /** "GET /projects?limit=5" */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | { readonly tooLarge: true };
}

/** The request a line describes, headers lower-cased as the transports give them. */
export function engineRequest(line: RequestLine): EngineRequest {
  const [method = 'GET', target = '/'] = line.target.split(' ');
  const url = new URL(target, 'http://engine.test');
  const headers = Object.fromEntries(Object.entries(line.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const body: EngineRequest['body'] =
    line.body === undefined
      ? { kind: 'none' }
      : typeof line.body === 'string'
        ? { kind: 'read', text: line.body, size: new TextEncoder().encode(line.body).length }
        : { kind: 'too-large', limit: 1 };
  return { method, path: url.pathname, query: url.searchParams, headers, body };
}

/** The verdict as a row states it: "accepted", or the stage, rule and pointer of the refusal. */
export function verdictOf(context: EngineContext, line: RequestLine): string {
  const verdict = judgeRequest(context, engineRequest(line));
  return verdict.kind === 'accepted' ? 'accepted' : `${verdict.refusal.stage} ${verdict.refusal.rule} ${verdict.refusal.pointer}`;
}

/** Credentials the fixture accepts. */
export const BEARER = { authorization: 'Bearer engine-token' } as const;
export const API_KEY = { 'x-api-key': 'engine-key' } as const;
