// The suite on a document other than the kit's own, with no gap policy of its own and only CONTRACT_TOKEN set:
// testing/corpus/features.yaml (path and query parameters, an API key beside bearer, a 201 with Location, a
// DELETE answering 204). A conforming implementation passes; each broken one fails with its own code and pointer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ViolationCode } from '../engine/index.ts';
import { type ContractReport, checkImplementation, exitCodeFor } from './check-implementation.ts';
import {
  createReference,
  type ReferenceAnswer,
  type ReferenceRequest,
  send,
  startFixture,
  startReferenceServer,
  withFixture,
} from './fixtures/reference-server.ts';
import { testSettings } from './fixtures/test-settings.ts';
import { formatSummary } from './format-summary.ts';

const FEATURES = resolve('testing/corpus/features.yaml');
const TOKEN = 'tok-ANYDOC-5e8c1d3a';

function settings(baseUrl: string, documentPath = FEATURES) {
  return { ...testSettings(baseUrl, TOKEN), documentPath, policyPath: undefined };
}

/** Every failed violation with the case it was found on. */
function failures(report: ContractReport) {
  return report.cases.flatMap((c) =>
    c.checks
      .filter((check) => check.state === 'failed')
      .flatMap((check) => check.violations.map((v) => ({ caseId: c.id, ...v }))),
  );
}

/** A variant of the conforming implementation that spoils some answers. */
type Spoiled = ReferenceAnswer & { readonly raw?: boolean };
type Spoil = (
  answer: ReferenceAnswer,
  request: ReferenceRequest,
  redo: (request: ReferenceRequest) => ReferenceAnswer,
) => Spoiled;

const BROKEN: { name: string; spoil: Spoil; code: ViolationCode; caseId: RegExp; schemaPointer?: RegExp }[] = [
  {
    name: 'ignores the API key',
    // Answers a request without its API key as if it had one.
    spoil: (answer, request, redo) =>
      answer.refusedBy === 'missing-credentials' && request.method === 'POST'
        ? redo({ ...request, headers: { ...request.headers, 'x-api-key': 'anything' } })
        : answer,
    code: 'AUTH_NOT_ENFORCED',
    caseId: /^POST \/projects › auth › no credentials$/,
  },
  {
    name: 'accepts an out-of-range query value',
    spoil: (answer, request, redo) =>
      answer.refusedBy === 'invalid-parameter' && /limit=/.test(request.query) ? redo({ ...request, query: '' }) : answer,
    code: 'INVALID_ACCEPTED',
    caseId: /^GET \/projects › negative › query parameter limit (above its maximum|below its minimum|of the wrong type)$/,
  },
  {
    name: 'answers a wrong method with 405 and no Allow',
    spoil: (answer) => {
      if (answer.refusedBy !== 'method-not-allowed') return answer;
      const { allow: _allow, ...headers } = answer.headers;
      return { ...answer, headers };
    },
    code: 'ALLOW_MISSING',
    caseId: /› negative › PATCH \(not documented\)$/,
  },
  {
    name: 'omits Location on the 201',
    spoil: (answer) => {
      if (answer.status !== 201) return answer;
      const { location: _location, ...headers } = answer.headers;
      return { ...answer, headers };
    },
    code: 'HEADER_MISSING',
    caseId: /^POST \/projects › positive › /,
    schemaPointer: /features\.yaml#\/paths\/~1projects\/post\/responses\/201\/headers\/location$/,
  },
  {
    name: 'answers the 204 with a body',
    // Node's ServerResponse drops a 204's body; written to the socket, it reaches the client's parser.
    spoil: (answer) => (answer.status === 204 ? { ...answer, body: '{"deleted":true}', raw: true } : answer),
    code: 'BODY_UNEXPECTED',
    caseId: /^DELETE \/projects\/\{projectId\} › positive › /,
    schemaPointer: /features\.yaml#\/paths\/~1projects~1\{projectId\}\/delete\/responses\/204$/,
  },
];

describe('check --contract on another document, no policy, only CONTRACT_TOKEN', () => {
  it('passes the conforming implementation, judging every case', async () => {
    await withFixture(startReferenceServer(FEATURES), async (server) => {
      const report = await checkImplementation(settings(server.url));
      expect(report.notJudged).toBeUndefined();
      expect(failures(report)).toEqual([]);
      expect(report.totals).toMatchObject({ failed: 0, warned: 0, skipped: 0 });
      expect(exitCodeFor(report)).toBe(0);
      // The families the engine's stages give this document, each sent.
      const ids = report.cases.map((c) => c.id);
      for (const expected of [
        'GET /projects › negative › query parameter limit above its maximum',
        'GET /projects/{projectId} › negative › path parameter projectId breaking its pattern',
        'POST /projects › auth › apiKey: empty API key',
        'DELETE /projects/{projectId} › auth › bearerAuth: Basic scheme',
        '/projects › negative › PATCH (not documented)',
        'GET /health › negative › Accept that excludes every answer',
      ]) {
        expect(ids).toContain(expected);
      }
    });
  });

  for (const broken of BROKEN) {
    it(`fails a server that ${broken.name}, with ${broken.code}`, async () => {
      const reference = await createReference(FEATURES);
      await withFixture(
        startFixture((request, response) => {
          const spoiled = broken.spoil(reference(request), request, reference);
          if (!spoiled.raw) return send(response, spoiled);
          // Chunked: with a Content-Length, undici refuses the answer outright (a connection failure, not a verdict).
          const chunk = `${Buffer.byteLength(spoiled.body).toString(16)}\r\n${spoiled.body}\r\n0\r\n\r\n`;
          response.socket?.end(
            `HTTP/1.1 ${spoiled.status} No Content\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`,
          );
        }),
        async (server) => {
          const report = await checkImplementation(settings(server.url));
          expect(exitCodeFor(report)).toBe(1);
          const caught = failures(report).filter((f) => f.code === broken.code);
          expect(caught.length, JSON.stringify(failures(report).map((f) => [f.caseId, f.code]))).toBeGreaterThan(0);
          for (const failure of caught) {
            expect(failure.caseId).toMatch(broken.caseId);
            if (broken.schemaPointer) expect(failure.schemaPointer).toMatch(broken.schemaPointer);
          }
          // Nothing else breaks: each variant is caught by its own code alone.
          expect(new Set(failures(report).map((f) => f.code))).toEqual(new Set([broken.code]));
        },
      );
    });
  }
});

describe('a document that uses what the engine does not implement', () => {
  const write = (text: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'unsupported-')), 'api.yaml');
    writeFileSync(path, text);
    return path;
  };
  const matrix = write(`openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, style: matrix, schema: {type: string}}
      responses:
        '200': {description: ok}
`);

  it('stops check before any request, in one sentence naming the feature and its pointer', async () => {
    await withFixture(startReferenceServer(), async (server) => {
      const report = await checkImplementation(settings(server.url, matrix));
      expect(exitCodeFor(report)).toBe(2);
      expect(report.notJudged).toBe(
        `${matrix} uses the path parameter style "matrix" at #/paths/~1items~1{id}/get/parameters/0/style, which the kit does not judge; the kit parses path parameters in style simple.`,
      );
      expect(server.received).toEqual([]);
    });
  });

  it('says in one line where an OpenAPI 3.0 document breaks the OpenAPI schema', async () => {
    const strang30 = write(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: strang}
`);
    await withFixture(startReferenceServer(), async (server) => {
      const report = await checkImplementation(settings(server.url, strang30));
      expect(exitCodeFor(report)).toBe(2);
      expect(report.notJudged).toMatch(
        /^The contract .*api\.yaml does not load: it breaks the OpenAPI schema: #\/paths\/~1x\/get\/responses\/200\/content\/application~1json\/schema\/type must be equal to one of the allowed values \(\d+ more findings follow from it\)\.$/,
      );
      expect(server.received).toEqual([]);
    });
  });

  it('lists what it passes over in the report and the console, and judges the rest', async () => {
    const passedOver = write(`openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items:
    get:
      callbacks:
        done:
          '{$request.query.url}':
            post:
              responses:
                '200': {description: ok}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {link: {type: string, format: uriref}}}
              example: {link: /x}
            application/xml:
              schema: {type: object}
`);
    await withFixture(startReferenceServer(passedOver), async (server) => {
      const report = await checkImplementation(settings(server.url, passedOver));
      expect(exitCodeFor(report)).toBe(0);
      expect(report.passedOver).toEqual([
        expect.stringMatching(
          /^callbacks at .*api\.yaml#\/paths\/~1items\/get\/callbacks: requests the API sends back are not judged\.$/,
        ),
        expect.stringMatching(
          /^the application\/xml response body's schema at .*#\/paths\/~1items\/get\/responses\/200\/content\/application~1xml: /,
        ),
        expect.stringMatching(
          /^the format "uriref" at .*#\/paths\/~1items\/get\/responses\/200\/content\/application~1json\/schema\/properties\/link\/format: /,
        ),
      ]);
      const lines = formatSummary(report);
      expect(lines.filter((line) => line.startsWith('[contracts] not judged: '))).toHaveLength(3);
    });
  });

  it('lists, unsent, a valid request it cannot build, rather than blame the server or stop', async () => {
    const patterned = write(`openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /orders:
    get:
      parameters:
        - {name: code, in: query, required: true, schema: {type: string, pattern: '^[A-Z]{3}-[0-9]{4}$'}}
      responses:
        '200': {description: ok, content: {'*/*': {schema: {type: object}, example: {}}}}
`);
    await withFixture(startReferenceServer(patterned), async (server) => {
      const report = await checkImplementation(settings(server.url, patterned));
      expect(report.notJudged).toBeUndefined();
      const unsent = report.cases.find((c) => c.id === 'GET /orders › positive › no body');
      expect(unsent?.exchange).toBeUndefined();
      expect(unsent?.checks[0]?.note).toMatch(
        /^not judged: the kit could not build a valid request for GET \/orders \(its query parameter code must match pattern/,
      );
      expect(unsent?.checks.every((check) => check.state === 'skipped')).toBe(true);
      // The rest is judged: the */* answer's JSON matches its range.
      expect(report.totals.failed).toBe(0);
      expect(report.totals.passed).toBeGreaterThan(0);
    });
  });

  it('stops check before any request when a schema does not compile', async () => {
    const strang = write(`openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: strang}
`);
    await withFixture(startReferenceServer(), async (server) => {
      const report = await checkImplementation(settings(server.url, strang));
      expect(exitCodeFor(report)).toBe(2);
      expect(report.notJudged).toMatch(
        /^The contract .* does not load: |has a schema the validator cannot compile at #\/paths\/~1items\/get\/responses\/200\/content\/application~1json\/schema/,
      );
      expect(server.received).toEqual([]);
    });
  });
});

describe('credentials per scheme', () => {
  const basicOnly = (() => {
    const path = join(mkdtempSync(join(tmpdir(), 'basic-')), 'basic.yaml');
    writeFileSync(
      path,
      `openapi: 3.1.0
info: {title: t, version: "1"}
security: [{basicAuth: []}]
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
paths:
  /me:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}, example: {}}}}
`,
    );
    return path;
  })();

  it.each([
    [
      'a name that is no scheme of the document',
      { unknownScheme: 'x' },
      /^The credential unknownScheme \(--credential or CONTRACT_CREDENTIAL_unknownScheme\) names no security scheme of .*features\.yaml; its schemes are: bearerAuth, apiKey\.$/,
    ],
    ['an empty API key', { apiKey: '' }, /^The credential for apiKey is empty; give its value as --credential apiKey=VALUE\.$/],
    [
      'an API key with a line feed',
      { apiKey: 'k\n' },
      /^The credential for apiKey has a line feed \(\\n\) at its end \(character 2 of 2\), which cannot be sent in a header value\.$/,
    ],
    [
      'a bearer token of two words',
      { bearerAuth: 'a b' },
      /^The credential for bearerAuth has a space at character 2 of 3, which cannot be sent in a bearer token\.$/,
    ],
  ])('refuses %s before any request, in one sentence', async (_what, credentials, sentence) => {
    await withFixture(startReferenceServer(FEATURES), async (server) => {
      const report = await checkImplementation({ ...settings(server.url), credentials });
      expect(exitCodeFor(report)).toBe(2);
      expect(report.notJudged).toMatch(sentence);
      expect(server.received).toEqual([]);
    });
  });

  it('takes an API key with a space inside, as a header value may hold one', async () => {
    await withFixture(startReferenceServer(FEATURES), async (server) => {
      const report = await checkImplementation({ ...settings(server.url), credentials: { apiKey: 'two words' } });
      expect(exitCodeFor(report)).toBe(0);
    });
  });

  it('asks for user:password, not a token, when only a basic scheme would do', async () => {
    await withFixture(startReferenceServer(basicOnly), async (server) => {
      const noToken = await checkImplementation({ ...settings(server.url, basicOnly), token: undefined });
      expect(noToken.notJudged).toMatch(
        /^GET \/me needs basicAuth, and no credential was given for it: pass --credential NAME=VALUE \(for a basic scheme, VALUE is user:password\)\.$/,
      );
      const noColon = await checkImplementation({ ...settings(server.url, basicOnly), credentials: { basicAuth: 'nocolon' } });
      expect(noColon.notJudged).toBe(
        'The credential for the basic scheme basicAuth has no colon; give it as --credential basicAuth=user:password.',
      );
      const good = await checkImplementation({ ...settings(server.url, basicOnly), credentials: { BASICAUTH: 'u:p' } });
      expect(exitCodeFor(good)).toBe(0);
      expect(JSON.stringify(good)).not.toContain('u:p');
    });
  });
});
