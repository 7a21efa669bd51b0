import { operationOf, type Stage } from './stage.ts';

/** Body presence: a required request body must come (OpenAPI requestBody.required). */
export const presence: Stage = {
  name: 'presence',
  judge(judging) {
    const body = operationOf(judging).requestBody;
    // A body too large to read was sent all the same; the size stage has judged it.
    if (!body || hasBody(judging.request) || judging.request.body.kind === 'too-large' || !body.required) return undefined;
    return { stage: 'presence', rule: 'missing-body', problem: `it has no body; it needs ${body.contentType}`, pointer: '/body' };
  },
};

/** Whether a request carries a body the later body stages read. */
export function hasBody(request: { body: { kind: string; size?: number } }): boolean {
  return request.body.kind === 'read' && (request.body.size ?? 0) > 0;
}
