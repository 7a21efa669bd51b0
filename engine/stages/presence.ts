import { operationOf, type Stage } from './stage.ts';

/** Body presence: a required request body must come (OpenAPI requestBody.required). */
export const presence: Stage = {
  name: 'presence',
  judge(judging) {
    const body = operationOf(judging).requestBody;
    const sent =
      judging.request.body.kind !== 'none' && !(judging.request.body.kind === 'read' && judging.request.body.size === 0);
    if (!body || sent || !body.required) return undefined;
    return { stage: 'presence', rule: 'missing-body', problem: `it has no body; it needs ${body.contentType}`, pointer: '/body' };
  },
};

/** Whether a request carries a body the later body stages read. */
export function hasBody(request: { body: { kind: string; size?: number } }): boolean {
  return request.body.kind === 'read' && (request.body.size ?? 0) > 0;
}
