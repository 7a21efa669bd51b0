// Pairs of document versions, each a small edit of the kit's document or of the multi-operation draft, with the
// classification expected for both sides. Written "kind:SIDES": C breaks clients, I breaks implementations, "-"
// is compatible for both, "?" cannot be told from the text. Every example of issue 18 is among them. Edits are
// JSON Patch operations (RFC 6902: add, remove, replace; "-" appends to a list), so each pair is data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GAP_RULE_IDS, type GapPolicy } from '../engine/index.ts';
import { loadGapPolicy } from '../openapi/index.ts';
import { classifyChanges } from './classify-change.ts';
import { comparePolicies } from './compare-policies.ts';
import { structuralChanges } from './structural-diff.ts';

type Doc = Record<string, unknown>;
type Edit = readonly ['add' | 'replace', string, unknown] | readonly ['remove', string];

const read = (path: string): Doc => parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Doc;
const KIT = read('../openapi/flashback.yaml');
const DRAFT = read('../testing/corpus/flashback-draft.yaml');

/** A copy of `document` with the edits applied. */
function patched(document: Doc, edits: readonly Edit[]): Doc {
  const copy = structuredClone(document);
  for (const [op, pointer, value] of edits) {
    const keys = pointer
      .slice(1)
      .split('/')
      .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop() ?? '';
    let parent: unknown = copy;
    for (const key of keys) parent = (parent as Record<string, unknown>)[key];
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op === 'remove') parent.splice(index, 1);
      else parent.splice(index, op === 'replace' ? 1 : 0, value);
    } else if (op === 'remove') delete (parent as Record<string, unknown>)[last];
    else (parent as Record<string, unknown>)[last] = value;
  }
  return copy;
}

function label(change: { kind: string; clients: string; implementations: string }): string {
  const sides = `${change.clients === 'breaking' ? 'C' : ''}${change.implementations === 'breaking' ? 'I' : ''}`;
  const unknown = change.clients === 'unknown' || change.implementations === 'unknown';
  return `${change.kind}:${unknown ? '?' : sides || '-'}`;
}

function classify(base: Doc, edits: readonly Edit[]): string[] {
  const head = patched(base, edits);
  return classifyChanges(structuralChanges(base, head), { base, head }).map(label).sort();
}

const S = '/components/schemas';
const ENABLE = '/paths/~1mfa~1enable/post';
const MFA_JSON = `${ENABLE}/requestBody/content/application~1json`;
const OK_JSON = `${ENABLE}/responses/200/content/application~1json`;
const METHODS = '/paths/~1mfa~1methods/get';
const STRING = { type: 'string' };
const API_KEY = ['add', '/components/securitySchemes/apiKey', { type: 'apiKey', in: 'header', name: 'X-Key' }] as const;

const WITH_STATE = patched(KIT, [['add', `${S}/EnableMfaSuccess/properties/state`, { type: 'string', enum: ['ON', 'PENDING'] }]]);
const WITH_PATTERN = patched(KIT, [['add', `${S}/MfaType/pattern`, '^[A-Z_]+$']]);
const WITH_OAUTH = patched(KIT, [
  [
    'add',
    '/components/securitySchemes/oauth',
    {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: 'https://example.com/token', scopes: { mfa: 'MFA', admin: 'All' } } },
    },
  ],
  ['replace', `${ENABLE}/security`, [{ oauth: ['mfa'] }]],
]);
const WITH_VARIABLE = patched(KIT, [
  ['replace', '/servers', [{ url: 'https://backend.flashback.tech/{version}', variables: { version: { default: 'v1' } } }]],
]);
const ONE_OF = { oneOf: [{ $ref: '#/components/schemas/MfaType' }, { type: 'integer' }] };
const WITH_ONE_OF = patched(KIT, [['replace', `${S}/EnableMfaRequest/properties/mfaType`, ONE_OF]]);

const PAIRS: readonly [string, Doc, readonly Edit[], readonly string[]][] = [
  // Request enums: a new value must be accepted by implementations; a removed one refuses clients that send it.
  ['request enum value added', KIT, [['add', `${S}/MfaType/enum/-`, 'SMS']], ['request-body-enum-value-added:I']],
  ['request enum value removed', KIT, [['remove', `${S}/MfaType/enum/2`]], ['request-body-enum-value-removed:C']],
  // MfaType is read in a request body, a path parameter and a response: one edit, three verdicts.
  [
    'enum value added where a schema is shared by both directions',
    DRAFT,
    [['add', `${S}/MfaType/enum/-`, 'SMS']],
    ['path-parameter-enum-value-added:I', 'request-body-enum-value-added:I', 'response-body-enum-value-added:C'],
  ],
  [
    'response enum value removed',
    WITH_STATE,
    [['remove', `${S}/EnableMfaSuccess/properties/state/enum/1`]],
    ['response-body-enum-value-removed:I'],
  ],
  [
    'response enum value added',
    WITH_STATE,
    [['add', `${S}/EnableMfaSuccess/properties/state/enum/-`, 'OFF']],
    ['response-body-enum-value-added:C'],
  ],
  // Required and optional properties, in both directions.
  [
    'request property made optional',
    DRAFT,
    [['remove', `${S}/LoginRequest/required/1`]],
    ['request-body-required-property-removed:I'],
  ],
  [
    'request property added as required',
    KIT,
    [
      ['add', `${S}/EnableMfaRequest/properties/note`, STRING],
      ['add', `${S}/EnableMfaRequest/required/-`, 'note'],
    ],
    ['request-body-property-added:I', 'request-body-required-property-added:C'],
  ],
  [
    'optional request property added',
    KIT,
    [['add', `${S}/EnableMfaRequest/properties/note`, STRING]],
    ['request-body-property-added:I'],
  ],
  [
    'request property removed',
    DRAFT,
    [
      ['remove', `${S}/LoginRequest/properties/password`],
      ['remove', `${S}/LoginRequest/required/1`],
    ],
    ['request-body-property-removed:C', 'request-body-required-property-removed:I'],
  ],
  // Responses: a property removed or made optional breaks the clients that read it; a new required one, the servers.
  [
    'response property removed',
    KIT,
    [['remove', `${S}/EnableMfaSuccess/properties/message`]],
    ['response-body-property-removed:C'],
  ],
  [
    'response property made optional',
    DRAFT,
    [['remove', `${S}/LoginSuccess/required/1`]],
    ['response-body-required-property-removed:C'],
  ],
  [
    'response property made optional (User.email)',
    DRAFT,
    [['remove', `${S}/User/required/1`]],
    ['response-body-required-property-removed:C'],
  ],
  [
    'new required response property',
    KIT,
    [['add', `${S}/EnableMfaSuccess/required`, ['success']]],
    ['response-body-required-property-added:I'],
  ],
  [
    'optional response property added',
    KIT,
    [['add', `${S}/EnableMfaSuccess/properties/mfaType`, STRING]],
    ['response-body-property-added:-'],
  ],
  [
    'response object closed',
    KIT,
    [['add', `${S}/EnableMfaSuccess/additionalProperties`, false]],
    ['response-body-additionalProperties-added:I'],
  ],
  // Operations, statuses, media types.
  ['operation removed', DRAFT, [['remove', '/paths/~1users~1me']], ['operation-removed:C']],
  [
    'operation added',
    KIT,
    [['add', '/paths/~1mfa~1disable', { post: (KIT.paths as Doc)['/mfa/enable'] }]],
    ['operation-added:I'],
  ],
  ['method removed from a path', DRAFT, [['remove', '/paths/~1mfa~1methods~1{mfaType}/delete']], ['operation-removed:C']],
  ['error status removed', KIT, [['remove', `${ENABLE}/responses/500`]], ['response-status-removed:I']],
  ['error status added', KIT, [['add', `${ENABLE}/responses/409`, { description: 'Conflict' }]], ['response-status-added:-']],
  ['success status added', KIT, [['add', `${ENABLE}/responses/202`, { description: 'Accepted' }]], ['response-status-added:C']],
  [
    'request media type replaced',
    KIT,
    [
      [
        'add',
        `${ENABLE}/requestBody/content/application~1merge-patch+json`,
        { schema: { $ref: '#/components/schemas/EnableMfaRequest' } },
      ],
      ['remove', MFA_JSON],
    ],
    ['request-body-media-type-added:I', 'request-body-media-type-removed:C'],
  ],
  [
    'response media type added',
    KIT,
    [['add', `${ENABLE}/responses/200/content/text~1plain`, { schema: STRING }]],
    ['response-media-type-added:C'],
  ],
  [
    'response media type removed',
    DRAFT,
    [['remove', '/paths/~1users~1me/get/responses/200/content']],
    ['response-media-type-removed:I'],
  ],
  // Types, formats, patterns and bounds, tightened or loosened, on either side.
  [
    'response type changed',
    KIT,
    [['replace', `${S}/EnableMfaSuccess/properties/message/type`, 'integer']],
    ['response-body-type-changed:CI'],
  ],
  [
    'request type widened to number',
    DRAFT,
    [['replace', `${METHODS}/parameters/1/schema/type`, 'number']],
    ['query-parameter-type-changed:I'],
  ],
  ['request type made nullable', KIT, [['replace', `${S}/MfaType/type`, ['string', 'null']]], ['request-body-type-changed:I']],
  [
    'response format added',
    KIT,
    [['add', `${S}/EnableMfaSuccess/properties/message/format`, 'email']],
    ['response-body-format-added:I'],
  ],
  ['request format removed', DRAFT, [['remove', `${S}/LoginRequest/properties/email/format`]], ['request-body-format-removed:I']],
  [
    'format replaced',
    DRAFT,
    [['replace', `${S}/LoginRequest/properties/email/format`, 'hostname']],
    ['request-body-format-changed:?'],
  ],
  ['request pattern added', KIT, [['add', `${S}/MfaType/pattern`, '^[A-Z_]+$']], ['request-body-pattern-added:C']],
  [
    'request pattern replaced',
    WITH_PATTERN,
    [['replace', `${S}/MfaType/pattern`, '^[A-Z]+$']],
    ['request-body-pattern-changed:?'],
  ],
  [
    'request minimum raised',
    DRAFT,
    [['replace', `${METHODS}/parameters/1/schema/minimum`, 5]],
    ['query-parameter-minimum-tightened:C'],
  ],
  [
    'request maximum raised',
    DRAFT,
    [['replace', `${METHODS}/parameters/1/schema/maximum`, 100]],
    ['query-parameter-maximum-loosened:I'],
  ],
  ['request bound removed', DRAFT, [['remove', `${METHODS}/parameters/1/schema/maximum`]], ['query-parameter-maximum-removed:I']],
  [
    'request minLength lowered',
    DRAFT,
    [['replace', `${S}/LoginRequest/properties/password/minLength`, 6]],
    ['request-body-minLength-loosened:I'],
  ],
  [
    'request minLength raised',
    DRAFT,
    [['replace', `${S}/LoginRequest/properties/password/minLength`, 12]],
    ['request-body-minLength-tightened:C'],
  ],
  [
    'request maxLength added',
    DRAFT,
    [['add', `${S}/LoginRequest/properties/password/maxLength`, 64]],
    ['request-body-maxLength-added:C'],
  ],
  [
    'response maxLength added',
    KIT,
    [['add', `${S}/EnableMfaSuccess/properties/message/maxLength`, 200]],
    ['response-body-maxLength-added:I'],
  ],
  [
    'response minimum added',
    DRAFT,
    [['add', `${S}/LoginSuccess/properties/expiresIn/minimum`, 0]],
    ['response-body-minimum-added:I'],
  ],
  [
    'oneOf branch added to a request',
    KIT,
    [['replace', `${S}/EnableMfaRequest/properties/mfaType`, ONE_OF]],
    ['request-body-oneOf-branch-added:I'],
  ],
  [
    'oneOf branch removed from a request',
    WITH_ONE_OF,
    [['remove', `${S}/EnableMfaRequest/properties/mfaType/oneOf/1`]],
    ['request-body-oneOf-branch-removed:C'],
  ],
  // Parameters.
  [
    'required query parameter added',
    DRAFT,
    [['add', `${METHODS}/parameters/-`, { name: 'cursor', in: 'query', required: true, schema: STRING }]],
    ['query-parameter-added:CI'],
  ],
  [
    'optional query parameter added',
    DRAFT,
    [['add', `${METHODS}/parameters/-`, { name: 'cursor', in: 'query', schema: STRING }]],
    ['query-parameter-added:I'],
  ],
  ['query parameter removed', DRAFT, [['remove', `${METHODS}/parameters/0`]], ['query-parameter-removed:C']],
  [
    'query parameter made required',
    DRAFT,
    [['replace', `${METHODS}/parameters/0/required`, true]],
    ['query-parameter-became-required:C'],
  ],
  [
    'parameter sent in another form',
    DRAFT,
    [['add', `${METHODS}/parameters/0/explode`, false]],
    ['query-parameter-explode-changed:CI'],
  ],
  [
    'parameter description changed',
    DRAFT,
    [['add', `${METHODS}/parameters/0/description`, 'Only enabled ones']],
    ['query-parameter-description-changed:-'],
  ],
  // Security.
  [
    'security requirement added',
    KIT,
    [API_KEY, ['replace', `${ENABLE}/security`, [{ bearerAuth: [], apiKey: [] }]]],
    ['security-requirement-added:CI', 'security-scheme-added:-'],
  ],
  [
    'security alternative added',
    KIT,
    [API_KEY, ['replace', `${ENABLE}/security`, [{ bearerAuth: [] }, { apiKey: [] }]]],
    ['security-requirement-removed:I', 'security-scheme-added:-'],
  ],
  ['operation made public', DRAFT, [['add', '/paths/~1users~1me/get/security', []]], ['security-requirement-removed:I']],
  [
    'global security reaches a public operation',
    DRAFT,
    [['remove', '/paths/~1auth~1login/post/security']],
    ['security-requirement-added:CI'],
  ],
  [
    'security scheme changed kind',
    KIT,
    [['replace', '/components/securitySchemes/bearerAuth', { type: 'apiKey', in: 'header', name: 'X-Key' }]],
    ['security-scheme-changed:CI', 'security-scheme-description-removed:-'],
  ],
  [
    'OAuth scope added to a requirement',
    WITH_OAUTH,
    [['add', `${ENABLE}/security/0/oauth/-`, 'admin']],
    ['security-requirement-added:CI'],
  ],
  [
    'OAuth scope dropped from a requirement',
    WITH_OAUTH,
    [['remove', `${ENABLE}/security/0/oauth/0`]],
    ['security-requirement-removed:I'],
  ],
  [
    'security rewritten, same credentials',
    KIT,
    [['replace', `${ENABLE}/security`, [{ bearerAuth: [] }, { bearerAuth: [] }]]],
    ['security-changed:-'],
  ],
  [
    "a server variable's default moves the base path",
    WITH_VARIABLE,
    [['replace', '/servers/0/variables/version/default', 'v2']],
    ['servers-base-path-changed:CI'],
  ],
  [
    'path template renamed',
    DRAFT,
    [
      ['remove', '/paths/~1mfa~1methods~1{mfaType}'],
      [
        'add',
        '/paths/~1mfa~1methods~1{kind}',
        {
          parameters: [{ name: 'kind', in: 'path', required: true, schema: { $ref: '#/components/schemas/MfaType' } }],
          delete: ((DRAFT.paths as Doc)['/mfa/methods/{mfaType}'] as Doc).delete,
        },
      ],
    ],
    ['path-parameter-renamed:-', 'path-template-renamed:C'],
  ],
  // What the mock answers, and what only describes.
  [
    'response example changed',
    KIT,
    [['replace', `${OK_JSON}/examples/passkeyEnabled/value/message`, 'Done']],
    ['response-example-changed:C'],
  ],
  ['description changed', KIT, [['replace', `${ENABLE}/description`, 'Turns a method on.']], ['operation-description-changed:-']],
  ['version bumped', KIT, [['replace', '/info/version', '1.1.0']], ['info-version-changed:-']],
  ['operationId renamed', KIT, [['replace', `${ENABLE}/operationId`, 'turnOnMfa']], ['operation-id-changed:C']],
  ['base path moved', DRAFT, [['replace', '/servers', [{ url: 'http://localhost:3000/v2' }]]], ['servers-base-path-changed:CI']],
  ['request body made optional', KIT, [['replace', `${ENABLE}/requestBody/required`, false]], ['request-body-became-optional:I']],
  [
    'a readOnly flag moves a property between directions',
    DRAFT,
    [['add', `${S}/User/properties/id/readOnly`, true]],
    ['response-body-readOnly-added:?'],
  ],
];

describe('classifyChanges: both sides of each change', () => {
  it.each(PAIRS)('%s', (_name, base, edits, expected) => {
    expect(classify(base, edits)).toEqual([...expected].sort());
  });

  it('the table holds at least 40 pairs', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(40);
  });
});

describe('classifyChanges: where each change is written', () => {
  it('names the pointer in both files, $refs followed to where the edit is', () => {
    const head = patched(KIT, [['remove', `${S}/MfaType/enum/2`]]);
    const [change] = classifyChanges(structuralChanges(KIT, head), { base: KIT, head });
    expect(change).toMatchObject({
      where: '/paths/~1mfa~1enable/post/requestBody/content/application~1json/schema/properties/mfaType/enum/2',
      base: '#/components/schemas/MfaType/enum/2',
      head: '#/components/schemas/MfaType/enum',
    });
  });

  it('finds a path-level parameter where its path declares it', () => {
    const head = patched(DRAFT, [['add', '/paths/~1mfa~1methods~1{mfaType}/parameters/0/description', 'Which method']]);
    const [change] = classifyChanges(structuralChanges(DRAFT, head), { base: DRAFT, head });
    expect(change?.head).toBe('#/paths/~1mfa~1methods~1{mfaType}/parameters/0/description');
  });
});

describe('comparePolicies', () => {
  const KIT_POLICY = loadGapPolicy();
  const edit = (edits: readonly Edit[]): GapPolicy => patched(KIT_POLICY as unknown as Doc, edits) as unknown as GapPolicy;
  const POLICY_PAIRS: readonly [string, GapPolicy, readonly string[]][] = [
    [
      'allowed statuses narrow',
      edit([['replace', '/rules/invalid-body/allowedStatuses', [422]]]),
      ['policy-allowed-statuses-narrowed:I'],
    ],
    [
      'allowed statuses widen',
      edit([['add', '/rules/not-acceptable/allowedStatuses/-', 400]]),
      ['policy-allowed-statuses-widened:C'],
    ],
    ['mock answer changes', edit([['replace', '/rules/invalid-body/mock/status', 400]]), ['policy-mock-answer-changed:C']],
    ['body limit lowered', edit([['replace', '/maxRequestBodyBytes', 1024]]), ['policy-max-request-body-lowered:C']],
    ['outside statuses fail', edit([['replace', '/outsidePolicyStatus', 'fail']]), ['policy-outside-status-changed:I']],
  ];
  it.each(POLICY_PAIRS)('%s', (_name, head, expected) => {
    expect(comparePolicies(KIT_POLICY, head).map(label).sort()).toEqual([...expected].sort());
  });

  it('finds nothing between a policy and itself', () => {
    expect(comparePolicies(KIT_POLICY, KIT_POLICY)).toEqual([]);
    expect(GAP_RULE_IDS.length).toBeGreaterThan(0);
  });
});
