import { describeSchemaError } from '../compile-validators.ts';
import { readParameter } from '../parameters.ts';
import { operationOf, type Stage } from './stage.ts';

const WHERE = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' } as const;

/** Parameters: every required one present, every present one valid for its schema once typed by it. */
export const parameters: Stage = {
  name: 'parameters',
  judge(judging) {
    const operation = operationOf(judging);
    for (const parameter of operation.parameters) {
      const pointer = `/${WHERE[parameter.in]}/${parameter.name}`;
      const what = `${parameter.in} parameter ${parameter.name}`;
      const reading = readParameter(parameter, judging.request, judging.pathValues);
      if (!reading.present) {
        if (parameter.required) {
          return { stage: 'parameters', rule: 'invalid-parameter', problem: `its required ${what} is missing`, pointer };
        }
        continue;
      }
      const errors = judging.context.validatorFor(parameter.schema)(reading.value);
      if (errors.length > 0) {
        return {
          stage: 'parameters',
          rule: 'invalid-parameter',
          problem: errors
            .map(
              (error) =>
                `its ${what} ${describeSchemaError(error).replace(/^at the root /, '')}; got ${JSON.stringify(reading.value)}`,
            )
            .join('; '),
          pointer,
          schemaErrors: errors,
        };
      }
      judging.parameters[parameter.in] = { ...judging.parameters[parameter.in], [parameter.name]: reading.value };
    }
    return undefined;
  },
};
