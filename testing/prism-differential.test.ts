// The pure parts of the Prism differential: reading operations, generating requests, and judging two answers.
// The run against Prism itself is `tsx testing/run-prism-differential.ts` (its own CI step), not a unit test.
import { describe, expect, it } from 'vitest';
import { type Answer, compareAnswers } from './corpus/compare-answers.ts';
import { type CorpusRequest, generateRequests, isPresentable, pathText, queryPairs } from './corpus/generate-requests.ts';
import { INTENDED_DIFFERENCES } from './corpus/intended-differences.ts';
import { type DocParameter, operationsOf } from './corpus/read-operations.ts';
import { type Disagreement, type DocumentOutcome, differentialExitCode, explain } from './prism-differential.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'fixture', version: '1' },
  security: [{ bearer: [] }, { key: [] }],
  paths: {
    '/items/{itemId}': {
      parameters: [
        { name: 'itemId', in: 'path', required: true, schema: { type: 'string', pattern: '^it_[0-9]{3}$' }, example: 'it_042' },
      ],
      get: {
        parameters: [
          { name: 'view', in: 'query', required: true, schema: { type: 'string', enum: ['short', 'full'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10 } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
      delete: { security: [{ bearer: [] }], responses: { '204': { description: 'gone' } } },
    },
    '/items': {
      post: {
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
              example: { name: 'first' },
            },
          },
        },
        responses: {
          '201': { description: 'created', headers: { Location: { required: true, schema: { type: 'string' } } } },
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, key: { type: 'apiKey', in: 'query', name: 'api_key' } },
  },
};

const operations = operationsOf(document);
const generate = (seed: number): CorpusRequest[] => generateRequests(operations, { seed, documentName: 'fixture', budget: 40 });
const find = (requests: CorpusRequest[], situation: string, method?: string): CorpusRequest[] =>
  requests.filter((request) => request.situation === situation && (method === undefined || request.method === method));

describe('reading operations', () => {
  it('merges path-level parameters, and reads security alternatives and required response headers', () => {
    const get = operations.find((operation) => operation.method === 'get');
    expect(get?.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      'path:itemId',
      'query:view',
      'query:limit',
    ]);
    expect(get?.security).toEqual([[{ kind: 'bearer' }], [{ kind: 'api-key', in: 'query', name: 'api_key' }]]);
    expect(get?.pathMethods).toEqual(['get', 'delete']);
    const post = operations.find((operation) => operation.method === 'post');
    expect(post?.security).toEqual([]);
    expect(post?.responses).toEqual([{ status: '201', contentTypes: [], requiredHeaders: ['location'] }]);
  });
});

describe('generating requests', () => {
  it('sends the same requests for the same seed, and others for another', () => {
    const strip = (requests: CorpusRequest[]) =>
      requests.map(({ method, target, headers, body }) => ({ method, target, headers, body }));
    expect(strip(generate(7))).toEqual(strip(generate(7)));
    expect(strip(generate(7))).not.toEqual(strip(generate(8)));
  });

  it('fills path parameters, sends required parameters and presents each security alternative in turn', () => {
    const valid = find(generate(1), 'valid', 'GET');
    expect(valid.length).toBeGreaterThanOrEqual(2);
    for (const request of valid) {
      expect(request.target).toMatch(/^\/items\/it_[0-9]{3}\?(.*&)?view=(short|full)/);
    }
    expect(valid.some((request) => request.headers.authorization === 'Bearer corpus-token')).toBe(true);
    expect(valid.some((request) => request.target.includes('api_key=corpus-key'))).toBe(true);
  });

  it('breaks exactly one thing per invalid request, and labels the situation', () => {
    const requests = generate(1);
    const [enumBreak] = find(requests, 'invalid-parameter').filter((request) => request.detail.includes('view'));
    expect(enumBreak?.target).toContain('view=zz-not-listed');
    expect(enumBreak?.headers.authorization).toBe('Bearer corpus-token');
    const [pathBreak] = find(requests, 'invalid-path-parameter', 'GET');
    expect(pathBreak?.target).toMatch(/^\/items\/~~\?/);
    const [missing] = find(requests, 'missing-parameter');
    expect(missing?.target).not.toContain('view=');
    const [noCredentials] = find(requests, 'missing-credentials', 'GET');
    expect(noCredentials?.headers.authorization).toBeUndefined();
    expect(noCredentials?.target).not.toContain('api_key');
    expect(find(requests, 'missing-credentials', 'POST')).toEqual([]);
    expect(find(requests, 'invalid-body')[0]?.body).toBe('{}');
    expect(find(requests, 'missing-body')[0]?.headers['content-type']).toBeUndefined();
    expect(find(requests, 'method-not-allowed').map((request) => request.method)).toEqual(['PATCH', 'PATCH', 'PATCH']);
    expect(find(requests, 'unknown-path')).toHaveLength(2);
  });

  it('presents no alternative one request cannot carry, and labels operations that document no success', () => {
    expect(isPresentable([{ kind: 'bearer' }, { kind: 'api-key', in: 'header', name: 'k' }])).toBe(true);
    expect(isPresentable([{ kind: 'basic' }, { kind: 'bearer' }])).toBe(false);
    expect(isPresentable([{ kind: 'unsupported', type: 'mutualTLS' }])).toBe(false);
    const onlyErrors = operationsOf({
      openapi: '3.0.3',
      paths: { '/x': { put: { responses: { '400': { description: 'bad' }, '404': { description: 'none' } } } } },
    });
    const requests = generateRequests(onlyErrors, { seed: 1, documentName: 'errors', budget: 10 });
    expect(requests.filter((request) => request.situation === 'valid-no-success-documented')).toHaveLength(5);
    expect(requests.filter((request) => request.situation === 'valid')).toEqual([]);
  });

  it('serialises parameters in their OpenAPI styles', () => {
    const parameter = (style: string, explode: boolean, location: DocParameter['in'] = 'query'): DocParameter => ({
      name: 'p',
      in: location,
      required: false,
      schema: {},
      style,
      explode,
    });
    expect(queryPairs(parameter('form', true), ['a', 'b'])).toEqual(['p=a', 'p=b']);
    expect(queryPairs(parameter('form', false), ['a', 'b'])).toEqual(['p=a,b']);
    expect(queryPairs(parameter('pipeDelimited', false), ['a', 'b'])).toEqual(['p=a|b']);
    expect(queryPairs(parameter('deepObject', true), { x: 1 })).toEqual(['p%5Bx%5D=1']);
    expect(pathText(parameter('simple', false, 'path'), ['a', 'b'])).toBe('a,b');
    expect(pathText(parameter('label', false, 'path'), 'a b')).toBe('.a%20b');
    expect(pathText(parameter('matrix', true, 'path'), ['a', 'b'])).toBe(';p=a;p=b');
  });
});

describe('comparing answers', () => {
  const answered = (status: number, headers: Record<string, string> = {}): Answer => ({
    kind: 'answered',
    status,
    headers,
    body: '',
  });
  const requests = generate(1);
  const post = find(requests, 'valid', 'POST')[0] as CorpusRequest;

  it('agrees on statuses of the same class, and disagrees across classes', () => {
    const request = find(requests, 'invalid-parameter')[0] as CorpusRequest;
    expect(compareAnswers(request, answered(422), answered(400))).toEqual({
      situation: 'invalid-parameter',
      sameStatus: false,
      differences: [],
    });
    expect(compareAnswers(request, answered(422), answered(200)).differences).toEqual([
      { kind: 'status-class', prism: '4xx', kit: '2xx' },
    ]);
    expect(compareAnswers(request, answered(422), { kind: 'failed', reason: 'reset' }).differences).toEqual([
      { kind: 'status-class', prism: '4xx', kit: 'no answer' },
    ]);
  });

  it('reports a documented required header that the kit leaves out and Prism sends', () => {
    expect(compareAnswers(post, answered(201, { location: '/items/1' }), answered(201)).differences).toEqual([
      { kind: 'required-header', header: 'location', missingFrom: 'kit' },
    ]);
    expect(compareAnswers(post, answered(201, { location: '/a' }), answered(201, { location: '/b' })).differences).toEqual([]);
  });

  it('holds the kit to the status a Prefer header asks for, and to documented successes', () => {
    const preferred = find(requests, 'prefer-code', 'DELETE')[0] as CorpusRequest;
    expect(preferred.headers.prefer).toBe('code=204');
    expect(compareAnswers(preferred, answered(204), answered(200)).differences).toEqual([
      { kind: 'preferred-status', asked: 204, kit: 200 },
    ]);
    const remove = find(requests, 'valid', 'DELETE')[0] as CorpusRequest;
    expect(compareAnswers(remove, answered(204), answered(200)).differences).toEqual([
      { kind: 'undocumented-success', prism: 204, kit: 200 },
    ]);
  });

  it('explains a difference only by a row of the table for its situation and classes', () => {
    const row = INTENDED_DIFFERENCES.find((candidate) => candidate.prism !== candidate.kit);
    if (row) {
      expect(
        explain({
          situation: row.situation,
          sameStatus: false,
          differences: [{ kind: 'status-class', prism: row.prism, kit: row.kit }],
        }),
      ).toBe(row);
    }
    expect(
      explain({ situation: 'valid', sameStatus: false, differences: [{ kind: 'status-class', prism: '2xx', kit: '5xx' }] }),
    ).toBeUndefined();
    for (const entry of INTENDED_DIFFERENCES) expect(entry.reason.length).toBeGreaterThan(40);
  });

  it('exits 2 when a document was not compared, 1 on an unexplained disagreement, 0 otherwise', () => {
    const compared = (disagreements: Disagreement[]): DocumentOutcome => ({
      kind: 'compared',
      name: 'd',
      path: 'd.yaml',
      sent: 1,
      sameStatus: 0,
      agreements: 1 - disagreements.length,
      disagreements,
      otherStatuses: [],
      durationMs: 1,
    });
    const disagreement = { request: post, prism: answered(201), kit: answered(500), differences: [] };
    expect(differentialExitCode([compared([])])).toBe(0);
    expect(differentialExitCode([compared([disagreement])])).toBe(1);
    expect(
      differentialExitCode([
        compared([]),
        { kind: 'not-started', name: 'e', path: 'e.yaml', who: 'kit', reason: 'x', durationMs: 1 },
      ]),
    ).toBe(2);
  });
});
