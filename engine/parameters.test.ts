import { describe, expect, it } from 'vitest';
import type { ParameterContract, SchemaObject } from './contract.ts';
import { readParameter } from './parameters.ts';
import type { EngineRequest } from './request.ts';

function parameter(overrides: Partial<ParameterContract> & { schema: SchemaObject }): ParameterContract {
  return {
    name: 'p',
    in: 'query',
    required: false,
    style: 'form',
    explode: true,
    schemaPointer: '/x',
    pointer: '/x',
    ...overrides,
  };
}

function request(query: string, headers: Record<string, string> = {}): EngineRequest {
  return { method: 'GET', path: '/', query: new URLSearchParams(query), headers, body: { kind: 'none' } };
}

const INTEGERS = { type: 'array', items: { type: 'integer' } };
const POINT = { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'integer' } } };

// OpenAPI 3.1 section 4.8.12.4, "Style Examples": each row reads the serialised form back into a typed value.
const TABLE: [string, ParameterContract, EngineRequest, Readonly<Record<string, string>>, unknown][] = [
  ['form, exploded array', parameter({ schema: INTEGERS }), request('p=3&p=4'), {}, [3, 4]],
  ['form, not exploded array', parameter({ schema: INTEGERS, explode: false }), request('p=3,4'), {}, [3, 4]],
  ['form, exploded object', parameter({ schema: POINT }), request('x=1&y=2'), {}, { x: 1, y: 2 }],
  ['form, not exploded object', parameter({ schema: POINT, explode: false }), request('p=x,1,y,2'), {}, { x: 1, y: 2 }],
  ['deepObject', parameter({ schema: POINT, style: 'deepObject' }), request('p[x]=1&p[y]=2'), {}, { x: 1, y: 2 }],
  ['a boolean', parameter({ schema: { type: 'boolean' } }), request('p=true'), {}, true],
  ['a nullable number left empty', parameter({ schema: { type: ['number', 'null'] } }), request('p='), {}, null],
  ['text that is no number stays text', parameter({ schema: { type: 'integer' } }), request('p=1e'), {}, '1e'],
  [
    'path, simple array',
    parameter({ in: 'path', style: 'simple', explode: false, schema: INTEGERS }),
    request(''),
    { p: '3,4' },
    [3, 4],
  ],
  [
    'path, simple exploded object',
    parameter({ in: 'path', style: 'simple', schema: POINT }),
    request(''),
    { p: 'x=1,y=2' },
    { x: 1, y: 2 },
  ],
  [
    'path, percent-encoded',
    parameter({ in: 'path', style: 'simple', explode: false, schema: { type: 'string' } }),
    request(''),
    { p: 'a%2Fb' },
    'a/b',
  ],
  [
    'header, simple, trimmed',
    parameter({ in: 'header', style: 'simple', explode: false, schema: { type: 'integer' } }),
    request('', { p: ' 7 ' }),
    {},
    7,
  ],
  [
    'path, an encoded comma inside one value of a list',
    parameter({ in: 'path', style: 'simple', explode: false, schema: { type: 'array', items: { type: 'string' } } }),
    request(''),
    { p: 'a%2Cb,c' },
    ['a,b', 'c'],
  ],
  [
    'header, a list with spaces after its commas (RFC 9110 section 5.6.1)',
    parameter({ in: 'header', style: 'simple', explode: false, schema: INTEGERS }),
    request('', { p: '1, 2' }),
    {},
    [1, 2],
  ],
  [
    'cookie, form',
    parameter({ in: 'cookie', schema: { type: 'string' } }),
    request('', { cookie: 'a=1; p=two; p=three' }),
    {},
    'two',
  ],
];

describe('readParameter', () => {
  it.each(TABLE)('%s', (_name, contract, seen, pathValues, expected) => {
    expect(readParameter(contract, seen, pathValues)).toEqual({ present: true, value: expected });
  });

  it('says a parameter is absent rather than empty', () => {
    expect(readParameter(parameter({ schema: { type: 'string' } }), request('q=1'), {})).toEqual({ present: false });
    expect(readParameter(parameter({ schema: POINT, style: 'deepObject' }), request('x=1'), {})).toEqual({ present: false });
  });
});
