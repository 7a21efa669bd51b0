import { describeSchemaError } from '../compile-validators.ts';
import { operationOf, type Stage } from './stage.ts';

/** Body schema: the parsed body is valid for the schema of its media type. */
export const bodySchema: Stage = {
  name: 'body-schema',
  judge(judging) {
    const body = operationOf(judging).requestBody;
    if (!body || !judging.body) return undefined;
    const content = body.contents.find((candidate) => candidate.contentType === judging.mediaType) ?? body;
    const errors = judging.context.validatorFor(content.schema)(judging.body.value);
    if (errors.length === 0) return undefined;
    const [first] = errors;
    return {
      stage: 'body-schema',
      rule: 'invalid-body',
      problem: `its body ${errors.map(describeSchemaError).join('; ')}`,
      pointer: `/body${first?.instancePath ?? ''}`,
      schemaErrors: errors,
    };
  },
};
