import { routeOperation } from '../route.ts';
import type { Stage } from './stage.ts';

/** Route: a documented path and method (RFC 9110 section 15.5.6: a 405 lists the methods in Allow). */
export const route: Stage = {
  name: 'route',
  judge(judging) {
    const { contract } = judging.context;
    const { method, path } = judging.request;
    const found = routeOperation(contract.operations, method, path, contract.basePaths);
    if (found.kind === 'no-path') {
      return { stage: 'route', rule: 'unknown-path', problem: `no operation is documented at ${path}`, pointer: '/path' };
    }
    if (found.kind === 'no-method') {
      return {
        stage: 'route',
        rule: 'method-not-allowed',
        problem: `${path} documents only ${found.allowed.join(', ')}, not ${method.toUpperCase()}`,
        pointer: '/method',
        allow: found.allowed,
      };
    }
    judging.operation = found.operation;
    judging.pathValues = found.pathValues;
    return undefined;
  },
};
