import { isJsonMediaType, mediaTypeOf } from '../media-type.ts';
import type { Stage } from './stage.ts';

/** Parsing: a JSON body parses (RFC 8259); a text/plain body is its text; other media types are not read. */
export const parse: Stage = {
  name: 'parse',
  judge(judging) {
    const { body } = judging.request;
    if (!judging.mediaType || body.kind !== 'read') return undefined;
    // Under a documented range (*/*, application/*) the body is what its Content-Type says it is.
    const type = judging.mediaType.includes('*')
      ? (mediaTypeOf(judging.request.headers['content-type']) ?? '')
      : judging.mediaType;
    if (isJsonMediaType(type)) {
      try {
        judging.body = { value: JSON.parse(body.text) };
      } catch (error) {
        return {
          stage: 'parse',
          rule: 'malformed-json',
          problem: `its body is not valid JSON (${(error as Error).message})`,
          pointer: '/body',
        };
      }
    } else if (mediaTypeOf(type) === 'text/plain') {
      judging.body = { value: body.text };
    }
    return undefined;
  },
};
