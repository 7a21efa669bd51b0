import { beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, BEARER, engineContext, type RequestLine, verdictOf } from '../../testing/judge-table.ts';
import type { EngineContext } from '../index.ts';

let features: EngineContext;
beforeAll(async () => {
  features = await engineContext('features');
});

// GET /projects: bearer OR apiKey (global); POST /projects: apiKey only; DELETE /projects/{id}: bearer only;
// GET /health: security: [].
const TABLE: [string, RequestLine, string][] = [
  ['no security asked for', { target: 'GET /health' }, 'accepted'],
  ['the first alternative', { target: 'GET /projects', headers: BEARER }, 'accepted'],
  ['the second alternative', { target: 'GET /projects', headers: API_KEY }, 'accepted'],
  [
    'the bearer scheme in another case (RFC 7235)',
    { target: 'GET /projects', headers: { authorization: 'bEaReR t' } },
    'accepted',
  ],
  ['nothing of any alternative', { target: 'GET /projects' }, 'security missing-credentials /headers/authorization'],
  [
    'an empty bearer token',
    { target: 'GET /projects', headers: { authorization: 'Bearer ' } },
    'security invalid-credentials /headers/authorization',
  ],
  [
    'a bearer token of two words',
    { target: 'GET /projects', headers: { authorization: 'Bearer a b' } },
    'security invalid-credentials /headers/authorization',
  ],
  [
    'another scheme',
    { target: 'GET /projects', headers: { authorization: 'Basic dTpw' } },
    'security invalid-credentials /headers/authorization',
  ],
  [
    'an empty API key',
    { target: 'GET /projects', headers: { 'x-api-key': '' } },
    'security invalid-credentials /headers/x-api-key',
  ],
  [
    'the wrong scheme for a per-operation requirement',
    { target: 'POST /projects', headers: BEARER },
    'security missing-credentials /headers/x-api-key',
  ],
  [
    'the API key where only bearer is asked for',
    { target: 'DELETE /projects/prj_0a1b2c3d', headers: API_KEY },
    'security missing-credentials /headers/authorization',
  ],
];

describe('the security stage', () => {
  it.each(TABLE)('%s', (_name, line, expected) => {
    expect(verdictOf(features, line)).toBe(expected);
  });
});
