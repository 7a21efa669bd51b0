import { beforeAll, describe, expect, it } from 'vitest';
import { BEARER, engineContext, type RequestLine, verdictOf } from '../../testing/judge-table.ts';
import type { EngineContext } from '../index.ts';

let features: EngineContext;
beforeAll(async () => {
  features = await engineContext('features');
});

const TABLE: [string, RequestLine, string][] = [
  ['a documented path and method', { target: 'GET /health' }, 'accepted'],
  ['a trailing slash', { target: 'GET /health/' }, 'accepted'],
  ['under a server base path', { target: 'GET /v1/health' }, 'accepted'],
  ['a path template', { target: 'DELETE /projects/prj_0a1b2c3d', headers: BEARER }, 'accepted'],
  ['no operation at the path', { target: 'GET /nowhere' }, 'route unknown-path /path'],
  ['a path one segment too long', { target: 'GET /projects/prj_0a1b2c3d/x', headers: BEARER }, 'route unknown-path /path'],
  ['the path without this method', { target: 'PUT /projects', headers: BEARER }, 'route method-not-allowed /method'],
  ['HEAD where GET is documented (RFC 9110 section 9.3.2)', { target: 'HEAD /health' }, 'accepted'],
];

describe('the route stage', () => {
  it.each(TABLE)('%s', (_name, line, expected) => {
    expect(verdictOf(features, line)).toBe(expected);
  });

  it('lists the methods of the path for the Allow header of a 405', async () => {
    const { judgeRequest } = await import('../index.ts');
    const { engineRequest } = await import('../../testing/judge-table.ts');
    const verdict = judgeRequest(features, engineRequest({ target: 'PATCH /projects/prj_0a1b2c3d' }));
    expect(verdict.kind === 'refused' && verdict.refusal.allow).toEqual(['GET', 'DELETE', 'HEAD']);
  });
});
