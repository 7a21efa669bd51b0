import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckName, ViolationCode } from '../engine/index.ts';
import { spawnMock } from '../testing/spawn-mock.ts';
import type { StartedProcess } from '../testing/start-process.ts';
import { type ContractReport, checkImplementation, exitCodeFor, isBlocked, prepareRun } from './check-implementation.ts';
import type { ContractSettings } from './contract-settings.ts';
import { type BrokenKind, startBrokenServer } from './fixtures/broken-servers.ts';
import { startReferenceServer, withFixture } from './fixtures/reference-server.ts';
import { testSettings } from './fixtures/test-settings.ts';
import { formatSummary } from './format-summary.ts';

const TOKEN = 'tok-CHECKCORE-7f3a9c41';

function settings(baseUrl: string, overrides: Partial<ContractSettings> = {}): ContractSettings {
  return testSettings(baseUrl, TOKEN, overrides);
}

/** Every violation of a given state, flattened with the case it was found on. */
function found(report: ContractReport, state: 'failed' | 'warned') {
  return report.cases.flatMap((c) =>
    c.checks
      .filter((check) => check.state === state)
      .flatMap((check) => check.violations.map((v) => ({ caseId: c.id, kind: c.kind, ...v }))),
  );
}

describe('checkImplementation against conforming implementations', () => {
  let mock: StartedProcess;
  beforeAll(async () => {
    mock = await spawnMock(['--quiet']);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('passes the built mock: every check judged, none failed or warned, exit code 0', async () => {
    const report = await checkImplementation(settings(mock.ready[1] ?? ''));
    expect(report.notJudged).toBeUndefined();
    expect(found(report, 'failed')).toEqual([]);
    expect(found(report, 'warned')).toEqual([]);
    expect(report.totals.passed).toBeGreaterThan(40);
    expect(exitCodeFor(report)).toBe(0);
  });

  it('passes the reference implementation, with an exchange recorded for every case', async () => {
    await withFixture(startReferenceServer(), async (server) => {
      const report = await checkImplementation(settings(server.url));
      expect(exitCodeFor(report)).toBe(0);
      expect(report.totals).toMatchObject({ failed: 0, warned: 0, skipped: 0 });
      for (const c of report.cases) expect(c.exchange?.response?.status, c.id).toBeTypeOf('number');
      // The refusals are judged too: the error envelope of every negative and auth case.
      const envelopes = report.cases.flatMap((c) => c.checks.filter((check) => check.check === 'error_envelope'));
      expect(envelopes.length).toBe(report.cases.filter((c) => c.kind !== 'positive').length);
      expect(envelopes.every((check) => check.state === 'passed')).toBe(true);
    });
  });
});

// Each broken server, the check and code that must catch it, the kind of case, and where in the body.
const BROKEN: {
  kind: BrokenKind;
  check: CheckName;
  code: ViolationCode;
  caseKind: string | string[];
  pointer?: string;
  caseMatch?: RegExp;
  overrides?: Partial<ContractSettings>;
}[] = [
  { kind: 'success-wrong-type', check: 'body_schema', code: 'BODY_SCHEMA_MISMATCH', caseKind: 'positive', pointer: '/success' },
  { kind: 'message-not-string', check: 'body_schema', code: 'BODY_SCHEMA_MISMATCH', caseKind: 'positive', pointer: '/message' },
  { kind: 'no-auth-check', check: 'auth_enforced', code: 'AUTH_NOT_ENFORCED', caseKind: 'auth' },
  {
    kind: 'accepts-unknown-enum',
    check: 'rejects_invalid',
    code: 'INVALID_ACCEPTED',
    caseKind: 'negative',
    caseMatch: /unknown value|case-changed/,
  },
  {
    kind: 'accepts-missing-field',
    check: 'rejects_invalid',
    code: 'INVALID_ACCEPTED',
    caseKind: 'negative',
    caseMatch: /missing |empty object/,
  },
  { kind: 'text-plain', check: 'content_type', code: 'CONTENT_TYPE_MISMATCH', caseKind: 'positive' },
  { kind: 'html-500', check: 'content_type', code: 'CONTENT_TYPE_MISMATCH', caseKind: 'positive' },
  { kind: 'html-500', check: 'body_schema', code: 'BODY_NOT_JSON', caseKind: 'positive', pointer: '' },
  { kind: 'broken-json', check: 'body_schema', code: 'BODY_NOT_JSON', caseKind: 'positive', pointer: '' },
  { kind: 'undocumented-404', check: 'status_documented', code: 'STATUS_UNDOCUMENTED', caseKind: 'positive' },
  { kind: 'slow', check: 'status_documented', code: 'TIMEOUT', caseKind: 'positive', overrides: { timeoutMs: 300 } },
  { kind: 'drops-connection', check: 'status_documented', code: 'CONNECTION_FAILED', caseKind: 'positive' },
  { kind: 'oversized-body', check: 'body_schema', code: 'BODY_TOO_LARGE', caseKind: 'positive', pointer: '' },
  {
    kind: 'forbidden-without-token',
    check: 'status_in_policy',
    code: 'STATUS_OUTSIDE_POLICY',
    caseKind: 'auth',
    overrides: { strict: true },
  },
  {
    kind: 'html-refusals',
    check: 'error_envelope',
    code: 'ERROR_ENVELOPE_MISMATCH',
    caseKind: ['negative', 'auth'],
    overrides: { strict: true },
  },
  {
    kind: 'oversized-refusals',
    check: 'error_envelope',
    code: 'ERROR_ENVELOPE_MISMATCH',
    caseKind: ['negative', 'auth'],
    pointer: '',
    overrides: { strict: true },
  },
  {
    kind: 'bare-json-refusals',
    check: 'error_envelope',
    code: 'ERROR_ENVELOPE_MISMATCH',
    caseKind: ['negative', 'auth'],
    overrides: { strict: true },
  },
];

describe('checkImplementation against broken implementations', () => {
  for (const expected of BROKEN) {
    it(`fails ${expected.kind} on ${expected.check} with ${expected.code}`, async () => {
      await withFixture(startBrokenServer(expected.kind), async (server) => {
        const report = await checkImplementation(settings(server.url, expected.overrides));
        expect(exitCodeFor(report)).toBe(1);
        const caught = found(report, 'failed').filter((f) => f.check === expected.check && f.code === expected.code);
        expect(caught.length, formatSummary(report).join('\n')).toBeGreaterThan(0);
        const matching = expected.caseMatch ? caught.filter((f) => expected.caseMatch?.test(f.caseId)) : caught;
        expect(matching.length).toBeGreaterThan(0);
        for (const failure of matching) {
          expect([expected.caseKind].flat()).toContain(failure.kind);
          if (expected.pointer !== undefined) expect(failure.pointer).toBe(expected.pointer);
        }
      });
    });
  }

  it('names each property of the error envelope a refusal lacks', async () => {
    await withFixture(startBrokenServer('bare-json-refusals'), async (server) => {
      const report = await checkImplementation(settings(server.url, { strict: true }));
      const onCase = found(report, 'failed').filter((f) => f.caseId === 'POST /mfa/enable › auth › no credentials');
      expect(onCase.map((f) => [f.pointer, f.message])).toEqual([
        [
          '/success',
          'The 401 refusal at /success must be false, as the gap policy\'s error envelope {"success": false, "error": "…"} says; got nothing.',
        ],
        [
          '/error',
          'The 401 refusal at /error must be a string that says what went wrong, as the gap policy\'s error envelope {"success": false, "error": "…"} says; got nothing.',
        ],
      ]);
    });
  });

  it('says exactly where a field breaks the schema', async () => {
    await withFixture(startBrokenServer('success-wrong-type'), async (server) => {
      const lines = formatSummary(await checkImplementation(settings(server.url)));
      const at = lines.findIndex((line) =>
        line.startsWith('✘ BODY_SCHEMA_MISMATCH (body_schema) on POST /mfa/enable › positive › '),
      );
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines[at]?.split('\n').slice(1, 8)).toEqual([
        '  The 200 body at /success must be boolean; got "yes".',
        '  expected: boolean',
        '  actual:   "yes"',
        '  body pointer:   /success',
        '  schema pointer: openapi/flashback.yaml#/paths/~1mfa~1enable/post/responses/200/content/application~1json/schema/properties/success/type',
        '  fix: Change the field named by the pointer to what the schema asks.',
        expect.stringMatching(
          /^ {2}reproduce: curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:\d+\/mfa\/enable' .*"authorization: Bearer \$CONTRACT_TOKEN"/,
        ),
      ]);
      expect(lines.at(-1)).toMatch(/^contracts: \d+ passed, [1-9]\d* failed, 0 skipped$/);
    });
  });

  it('warns, and passes, on policy findings unless strict: a status outside the policy, a refusal outside the envelope', async () => {
    for (const kind of ['forbidden-without-token', 'html-refusals'] as const) {
      await withFixture(startBrokenServer(kind), async (server) => {
        const report = await checkImplementation(settings(server.url));
        expect(exitCodeFor(report), kind).toBe(0);
        expect(found(report, 'warned').length, kind).toBeGreaterThan(0);
      });
    }
    await withFixture(startBrokenServer('forbidden-without-token'), async (server) => {
      const [warning] = found(await checkImplementation(settings(server.url)), 'warned');
      expect(warning).toMatchObject({
        code: 'STATUS_OUTSIDE_POLICY',
        caseId: 'POST /mfa/enable › auth › no credentials',
      });
      expect(warning?.message).toContain('Your server answered 403; the contract and its gap policy allow 401, 500 here.');
    });
    await withFixture(startBrokenServer('html-refusals'), async (server) => {
      const warnings = found(await checkImplementation(settings(server.url)), 'warned');
      expect(new Set(warnings.map((w) => w.code))).toEqual(new Set(['ERROR_ENVELOPE_MISMATCH']));
      expect(warnings[0]?.message).toMatch(
        /^The \d{3} refusal came as "text\/html"; the gap policy asks for JSON in the error envelope \{"success": false, "error": "…"\}\.$/,
      );
    });
  });
});

describe('checkImplementation when nothing can be judged', () => {
  const notJudged = async (overrides: Partial<ContractSettings>, baseUrl?: string): Promise<string> => {
    const report = await checkImplementation(settings(baseUrl ?? 'http://127.0.0.1:9', overrides));
    expect(exitCodeFor(report)).toBe(2);
    expect(report.cases).toEqual([]);
    return report.notJudged ?? '';
  };

  it('says there is no token, rather than blaming the implementation for its 401s', async () => {
    await withFixture(startReferenceServer(), async (server) => {
      expect(await notJudged({ token: undefined }, server.url)).toMatch(
        /^No token: set CONTRACT_TOKEN to a bearer token that 127\.0\.0\.1:\d+ accepts/,
      );
      expect(server.received).toEqual([]);
    });
  });

  it.each([
    ['a trailing newline', `${TOKEN}\n`, /line feed \(\\n\) at its end \(character 23 of 23\).*strip it/],
    ['CR LF', `${TOKEN.slice(0, 5)}\r\n${TOKEN.slice(5)}`, /carriage return \(\\r\) at character 6 of 24/],
    ['a control character', `${TOKEN}\u0001x`, /control character \(U\+0001\) at character 23 of 24/],
    ['a non-ASCII character', `${TOKEN}€`, /non-ASCII character \(U\+20AC\) at its end/],
  ])(
    'refuses a token with %s before sending anything, naming the character and never the token',
    async (_what, token, sentence) => {
      await withFixture(startReferenceServer(), async (server) => {
        const why = await notJudged({ token }, server.url);
        expect(why).toMatch(sentence);
        expect(why).not.toContain(TOKEN.slice(0, 8));
        expect(server.received).toEqual([]);
      });
    },
  );

  it('says in one sentence that an implementation cannot be reached', async () => {
    const closed = await withFixture(startReferenceServer(), async (server) => server.url);
    expect(await notJudged({}, closed)).toMatch(
      /^Could not reach http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED .*Is the implementation running there\?$/,
    );
  });

  it('says so for an unknown host and for a TLS handshake that fails', async () => {
    expect(await notJudged({}, 'http://no-such-host.invalid:9')).toMatch(
      /^Could not reach http:\/\/no-such-host\.invalid:9: .*ENOTFOUND/,
    );
    await withFixture(startReferenceServer(), async (server) => {
      // https:// to a server that speaks plain HTTP: the handshake fails before any request is sent.
      expect(await notJudged({}, server.url.replace('http:', 'https:'))).toMatch(/^Could not reach https:\/\/127\.0\.0\.1:\d+: /);
    });
  });

  it('says so for a document with no operation to build cases from', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'empty-contract-')), 'flashback.yaml');
    writeFileSync(
      empty,
      'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    EnableMfaError: {type: object}\n',
    );
    expect(await notJudged({ documentPath: empty })).toMatch(/flashback\.yaml documents no operation to check\.$/);
  });

  it('says so for a document that does not load, and for settings out of range', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'broken-contract-')), 'flashback.yaml');
    writeFileSync(broken, 'openapi: 3.1.0\ninfo: {}\npaths: []\n');
    expect(await notJudged({ documentPath: broken })).toMatch(/^The contract .*flashback\.yaml does not load: /);
    expect(await notJudged({ timeoutMs: 3_000_000_000 })).toBe(
      'The timeout must be a whole number of milliseconds from 1 to 2147483647 (the longest a timer can wait); got 3000000000.',
    );
  });
});

describe('checkImplementation against this machine under another name', () => {
  it.each([
    ['0.0.0.0', (url: string) => url.replace('127.0.0.1', '0.0.0.0')],
    ['[::ffff:127.0.0.1]', (url: string) => url.replace('127.0.0.1', '[::ffff:127.0.0.1]')],
  ])('judges the valid requests sent to %s, and fails a server that answers them with an HTML 500', async (_host, rename) => {
    await withFixture(startBrokenServer('html-500'), async (server) => {
      const report = await checkImplementation(settings(rename(server.url)));
      expect(exitCodeFor(report)).toBe(1);
      expect(report.successNotJudged).toBeUndefined();
      expect(report.totals.skipped).toBe(0);
      expect(found(report, 'failed').some((f) => f.code === 'BODY_NOT_JSON' && f.kind === 'positive')).toBe(true);
    });
  });
});

describe('checkImplementation outside this machine', () => {
  // Tests reach 127.0.0.1 only: the guard is judged on the prepared run, which sends nothing, for a documentation
  // address (RFC 5737) that is not this machine under any name.
  it('holds back everything a lenient server could take as a valid enable, and says the success answers were not judged', async () => {
    const run = await prepareRun(settings('http://192.0.2.1:9'));
    const held = run.cases.filter((c) => isBlocked(run, c)).map((c) => c.id.replace(/.* › /, ''));
    expect(held).toEqual(
      expect.arrayContaining(['mfaType="GOOGLE_AUTH"', 'Content-Type text/plain', 'mfaType case-changed "google_auth"']),
    );
    expect(run.mutationsBlocked).toMatch(/not this machine; pass --allow-mutations/);
    for (const c of run.cases.filter((c) => !isBlocked(run, c) && c.request.body !== undefined && c.request.withCredentials)) {
      // What is still sent with the credentials: nothing a server could enable.
      let mfaType: unknown;
      try {
        mfaType = (JSON.parse(c.request.body ?? '') as { mfaType?: unknown } | null)?.mfaType;
      } catch {
        mfaType = undefined;
      }
      expect(typeof mfaType !== 'string' || mfaType.endsWith('_NOT_DOCUMENTED'), c.id).toBe(true);
      expect(c.request.headers['content-type'], c.id).toMatch(/^application\/json/);
    }
    const allowed = await prepareRun(settings('http://192.0.2.1:9', { allowMutations: true }));
    expect(allowed.cases.filter((c) => isBlocked(allowed, c))).toEqual([]);
  });
});

describe('what a report shows', () => {
  const leaks = (report: ContractReport, secret: string): string[] => {
    const texts = [JSON.stringify(report), ...formatSummary(report)];
    const fragments: string[] = [];
    for (let i = 0; i + 8 <= secret.length; i += 1) {
      const fragment = secret.slice(i, i + 8);
      if (texts.some((text) => text.includes(fragment))) fragments.push(fragment);
    }
    return fragments;
  };

  it('never shows the token or any 8 characters of it, even echoed inside long strings that are cut', async () => {
    await withFixture(startBrokenServer('echoes-long'), async (server) => {
      const report = await checkImplementation(settings(server.url, { strict: true }));
      expect(leaks(report, TOKEN)).toEqual([]);
      expect(JSON.stringify(report)).toContain('$CONTRACT_TOKEN');
    });
  });

  it('never shows the userinfo of the base URL, user name or password', async () => {
    const password = 'pw-SECRET-b4se-url';
    await withFixture(startReferenceServer(), async (server) => {
      const report = await checkImplementation(settings(server.url.replace('http://', `http://ci:${password}@`)));
      expect(report.cases.length).toBeGreaterThan(0);
      expect(leaks(report, password)).toEqual([]);
      expect(JSON.stringify(report)).not.toContain('//ci');
      expect(report.baseUrl).toMatch(/^http:\/\/\[redacted\]@127\.0\.0\.1:\d+/);
    });
  });

  it('shows the control characters a server sent escaped, never raw', async () => {
    await withFixture(startBrokenServer('control-bytes'), async (server) => {
      const report = await checkImplementation(settings(server.url));
      const text = [JSON.stringify(report), ...formatSummary(report)].join('\n');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw escapes is the point.
      expect(text).not.toMatch(/[\u0007\u001b]/);
      expect(formatSummary(report).join('\n')).toContain('\\\\x1b[2J');
    });
  });
});
