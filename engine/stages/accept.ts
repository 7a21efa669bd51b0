import type { OperationContract } from '../contract.ts';
import { acceptsMediaType } from '../media-type.ts';
import { operationOf, type Stage } from './stage.ts';

/**
 * Accept: the Accept header admits a media type of the operation's success answers (RFC 9110 section 15.5.7: a
 * 406 means no acceptable representation of the success). An answer without content (a 204) suits any Accept.
 */
export const accept: Stage = {
  name: 'accept',
  judge(judging) {
    const header = judging.request.headers.accept;
    if (header === undefined) return undefined;
    const types = successTypes(operationOf(judging));
    if (types === undefined || types.some((type) => acceptsMediaType(header, type))) return undefined;
    return {
      stage: 'accept',
      rule: 'not-acceptable',
      problem: `its Accept header "${header}" excludes every media type the operation answers success with (${types.join(', ')})`,
      pointer: '/headers/accept',
    };
  },
};

// Read once per operation, as every request with an Accept header asks.
const typesOf = new WeakMap<OperationContract, readonly string[] | undefined>();

/** The media types of the success answers; undefined when any answer goes (none documented, or one without content). */
function successTypes(operation: OperationContract): readonly string[] | undefined {
  if (typesOf.has(operation)) return typesOf.get(operation);
  const successes = operation.responses.filter((response) => /^2/.test(response.key));
  const answers = successes.length > 0 ? successes : operation.responses.filter((response) => response.key === 'default');
  const types =
    answers.length === 0 || answers.some((response) => response.contentType === undefined)
      ? undefined
      : [...new Set(answers.flatMap((response) => (response.contentType ? [response.contentType] : [])))];
  typesOf.set(operation, types);
  return types;
}
