import { mediaTypeOf, rangeMatches } from '../media-type.ts';
import { hasBody } from './presence.ts';
import { operationOf, type Stage } from './stage.ts';

/** Media type: a body's Content-Type is one the operation takes, ranges such as text/(any) and (any)/(any) included. */
export const mediaType: Stage = {
  name: 'media-type',
  judge(judging) {
    const body = operationOf(judging).requestBody;
    if (!body || !hasBody(judging.request)) return undefined;
    const sent = judging.request.headers['content-type'];
    const type = mediaTypeOf(sent);
    const match = type === undefined ? undefined : body.contents.find((content) => rangeMatches(content.contentType, type));
    if (match) {
      judging.mediaType = match.contentType;
      return undefined;
    }
    const takes = body.contents.map((content) => content.contentType).join(', ');
    return {
      stage: 'media-type',
      rule: 'unsupported-media-type',
      problem: `its Content-Type is ${sent === undefined ? 'missing' : `"${sent}"`}; it takes ${takes}`,
      pointer: '/headers/content-type',
    };
  },
};
