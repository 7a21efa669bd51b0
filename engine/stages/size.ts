import type { Stage } from './stage.ts';

/** Size: a body larger than the policy's maxRequestBodyBytes (RFC 9110 section 15.5.14). */
export const size: Stage = {
  name: 'size',
  judge(judging) {
    const { body } = judging.request;
    const limit = judging.context.policy.maxRequestBodyBytes;
    const tooLarge = body.kind === 'too-large' || (body.kind === 'read' && body.size > limit);
    return tooLarge
      ? {
          stage: 'size',
          rule: 'body-too-large',
          problem: `its body is larger than the ${limit} bytes the contract accepts`,
          pointer: '/body',
        }
      : undefined;
  },
};
