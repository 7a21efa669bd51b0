import { acceptsMediaType } from '../media-type.ts';
import { operationOf, type Stage } from './stage.ts';

/** Accept: the Accept header admits a media type the operation answers with (RFC 9110 section 12.5.1). */
export const accept: Stage = {
  name: 'accept',
  judge(judging) {
    const operation = operationOf(judging);
    const types = [...new Set(operation.responses.flatMap((response) => (response.contentType ? [response.contentType] : [])))];
    const header = judging.request.headers.accept;
    if (types.length === 0 || types.some((type) => acceptsMediaType(header, type))) return undefined;
    return {
      stage: 'accept',
      rule: 'not-acceptable',
      problem: `its Accept header "${header ?? ''}" excludes every media type the operation answers with (${types.join(', ')})`,
      pointer: '/headers/accept',
    };
  },
};
