// The body stages in their order: size → presence → media type → parse → depth → body schema; then Accept.
import { beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, BEARER, engineContext, type RequestLine, verdictOf } from '../../testing/judge-table.ts';
import type { EngineContext } from '../index.ts';

let features: EngineContext;
let flashback: EngineContext;
beforeAll(async () => {
  [features, flashback] = await Promise.all([engineContext('features'), engineContext('flashback')]);
});

const JSON_TYPE = { ...API_KEY, 'content-type': 'application/json' };
const valid = '{"name":"Notes","owner":{"kind":"personal"}}';

const FEATURES: [string, RequestLine, string][] = [
  ['a valid body', { target: 'POST /projects', headers: JSON_TYPE, body: valid }, 'accepted'],
  [
    'a +json Content-Type with parameters is JSON',
    { target: 'POST /projects', headers: { ...API_KEY, 'content-type': 'application/json; charset=utf-8' }, body: valid },
    'accepted',
  ],
  [
    'too large: size before presence',
    { target: 'POST /projects', headers: JSON_TYPE, body: { tooLarge: true } },
    'size body-too-large /body',
  ],
  ['no body', { target: 'POST /projects', headers: JSON_TYPE }, 'presence missing-body /body'],
  ['an empty body is none', { target: 'POST /projects', headers: JSON_TYPE, body: '' }, 'presence missing-body /body'],
  [
    'another media type',
    { target: 'POST /projects', headers: { ...API_KEY, 'content-type': 'text/plain' }, body: valid },
    'media-type unsupported-media-type /headers/content-type',
  ],
  [
    'no Content-Type',
    { target: 'POST /projects', headers: API_KEY, body: valid },
    'media-type unsupported-media-type /headers/content-type',
  ],
  ['not JSON', { target: 'POST /projects', headers: JSON_TYPE, body: '{"name":' }, 'parse malformed-json /body'],
  [
    'nested deeper than the validators go',
    { target: 'POST /projects', headers: JSON_TYPE, body: `${'['.repeat(300)}${']'.repeat(300)}` },
    'depth invalid-body /body',
  ],
  [
    'a oneOf branch that matches none',
    { target: 'POST /projects', headers: JSON_TYPE, body: '{"name":"n","owner":{"kind":"team"}}' },
    'body-schema invalid-body /body/owner/kind',
  ],
  [
    'a required property missing',
    { target: 'POST /projects', headers: JSON_TYPE, body: '{"owner":{"kind":"personal"}}' },
    'body-schema invalid-body /body',
  ],
  ['an Accept that admits the answer', { target: 'GET /health', headers: { accept: 'text/*' } }, 'accepted'],
  [
    'an Accept that excludes every success answer',
    { target: 'GET /health', headers: { accept: 'application/json' } },
    'accept not-acceptable /headers/accept',
  ],
  [
    'q=0 excludes (RFC 9110 section 12.4.2)',
    { target: 'GET /health', headers: { accept: 'text/plain;q=0, application/json' } },
    'accept not-acceptable /headers/accept',
  ],
  [
    'a success without content suits any Accept',
    { target: 'DELETE /projects/prj_0a1b2c3d', headers: { ...BEARER, accept: 'image/png' } },
    'accepted',
  ],
];

const FLASHBACK: [string, RequestLine, string][] = [
  [
    'the credentials before the body',
    { target: 'POST /mfa/enable', headers: { 'content-type': 'application/json' }, body: '{"mfaType":"SMS"}' },
    'security missing-credentials /headers/authorization',
  ],
  [
    'a value outside the enum',
    { target: 'POST /mfa/enable', headers: { ...BEARER, 'content-type': 'application/json' }, body: '{"mfaType":"SMS"}' },
    'body-schema invalid-body /body/mfaType',
  ],
];

describe('the body stages and Accept', () => {
  it.each(FEATURES)('%s', (_name, line, expected) => {
    expect(verdictOf(features, line)).toBe(expected);
  });
  it.each(FLASHBACK)('%s (the kit’s document)', (_name, line, expected) => {
    expect(verdictOf(flashback, line)).toBe(expected);
  });
});

describe('a body under a documented range', () => {
  it('is parsed as the Content-Type it was sent with says', async () => {
    const { contractFromDocument, judgeRequest, validatorCache } = await import('../index.ts');
    const { engineRequest } = await import('../../testing/judge-table.ts');
    const contract = contractFromDocument(
      {
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: {
          '/files': {
            post: {
              requestBody: { required: true, content: { '*/*': { schema: { type: 'object', required: ['a'] } } } },
              responses: { '204': { description: 'ok' } },
            },
          },
        },
      },
      'inline.yaml',
    );
    const context = { contract, policy: features.policy, validatorFor: validatorCache() };
    const verdict = (body: string, type: string) => {
      const judged = judgeRequest(context, engineRequest({ target: 'POST /files', headers: { 'content-type': type }, body }));
      return judged.kind === 'accepted' ? 'accepted' : judged.refusal.rule;
    };
    expect(verdict('{"a":', 'application/json')).toBe('malformed-json');
    expect(verdict('{}', 'application/json')).toBe('invalid-body');
    expect(verdict('{"a":1}', 'application/json')).toBe('accepted');
    expect(verdict('not json', 'application/octet-stream')).toBe('accepted');
  });
});
