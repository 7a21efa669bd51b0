import { beforeAll, describe, expect, it } from 'vitest';
import { BEARER, engineContext, type RequestLine, verdictOf } from '../../testing/judge-table.ts';
import type { EngineContext } from '../index.ts';

let features: EngineContext;
beforeAll(async () => {
  features = await engineContext('features');
});

const TABLE: [string, RequestLine, string][] = [
  ['an integer within its bounds, typed from text', { target: 'GET /projects?limit=100', headers: BEARER }, 'accepted'],
  ['above the maximum', { target: 'GET /projects?limit=101', headers: BEARER }, 'parameters invalid-parameter /query/limit'],
  ['below the minimum', { target: 'GET /projects?limit=0', headers: BEARER }, 'parameters invalid-parameter /query/limit'],
  ['not a number', { target: 'GET /projects?limit=ten', headers: BEARER }, 'parameters invalid-parameter /query/limit'],
  [
    'a number written as hex is not one',
    { target: 'GET /projects?limit=0x10', headers: BEARER },
    'parameters invalid-parameter /query/limit',
  ],
  ['a value in the enum', { target: 'GET /projects?sort=created', headers: BEARER }, 'accepted'],
  ['outside the enum', { target: 'GET /projects?sort=size', headers: BEARER }, 'parameters invalid-parameter /query/sort'],
  ['an exploded form array', { target: 'GET /projects?tag=a&tag=b', headers: BEARER }, 'accepted'],
  [
    'an array item too long',
    { target: `GET /projects?tag=a&tag=${'x'.repeat(21)}`, headers: BEARER },
    'parameters invalid-parameter /query/tag',
  ],
  ['a path parameter matching its pattern', { target: 'GET /projects/prj_0a1b2c3d', headers: BEARER }, 'accepted'],
  [
    'a path parameter breaking its pattern',
    { target: 'GET /projects/prj_X', headers: BEARER },
    'parameters invalid-parameter /path/projectId',
  ],
  ['a percent-encoded path parameter, decoded first', { target: 'GET /projects/prj%5F0a1b2c3d', headers: BEARER }, 'accepted'],
  [
    'a header parameter in its format',
    {
      target: 'POST /projects',
      headers: { 'x-api-key': 'k', 'x-request-id': '00000000-0000-4000-8000-000000000000', 'content-type': 'application/json' },
      body: '{"name":"n","owner":{"kind":"personal"}}',
    },
    'accepted',
  ],
  [
    'a header parameter breaking its format',
    {
      target: 'POST /projects',
      headers: { 'x-api-key': 'k', 'x-request-id': 'nope', 'content-type': 'application/json' },
      body: '{}',
    },
    'parameters invalid-parameter /headers/x-request-id',
  ],
  ['an optional parameter left out', { target: 'GET /projects', headers: BEARER }, 'accepted'],
];

describe('the parameters stage', () => {
  it.each(TABLE)('%s', (_name, line, expected) => {
    expect(verdictOf(features, line)).toBe(expected);
  });
});
