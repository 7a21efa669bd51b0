import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMock } from '../mock/spawn-mock.ts';
import type { StartedProcess } from '../scripts/start-process.ts';
import type { ContractTestMeta } from './contract-settings.ts';
import { type BrokenKind, startBrokenServer } from './fixtures/broken-servers.ts';
import { type RunningFixture, startReferenceServer } from './fixtures/reference-server.ts';
import type { CheckName, ViolationCode } from './violations.ts';

const run = promisify(execFile);

interface Report {
  totals: Record<'passed' | 'failed' | 'warned' | 'skipped', number>;
  cases: {
    id: string;
    kind: string;
    exchange?: ContractTestMeta['exchange'];
    checks: { check: string; state: string; note?: string; violations: ContractTestMeta['violations'] }[];
  }[];
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  report?: Report;
  reportDir: string;
}

/** Runs `npm run contracts` as a user would (its script, not npm's wrapper) and reads the JSON report. */
async function contracts(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const reportDir = mkdtempSync(join(tmpdir(), 'contracts-report-'));
  const withReport = args.includes('--help') ? args : [...args, '--report-dir', reportDir];
  const result = await run(process.execPath, ['--import', 'tsx', 'contracts/run-contracts.ts', ...withReport], {
    env: { ...process.env, CONTRACT_BASE_URL: '', CONTRACT_TOKEN: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    // Colours are vitest's own; the assertions read the words.
    ({ stdout, stderr }) => ({ code: 0, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: stripVTControlCharacters(error.stdout),
      stderr: stripVTControlCharacters(error.stderr),
    }),
  );
  let report: Report | undefined;
  try {
    report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as Report;
  } catch {
    report = undefined;
  }
  return { ...result, reportDir, ...(report ? { report } : {}) };
}

/** Runs `use` against a fixture server that the test starts and always stops, whatever `use` throws. */
async function withServer(start: Promise<RunningFixture>, use: (server: RunningFixture) => Promise<void>): Promise<void> {
  const server = await start;
  try {
    await use(server);
  } finally {
    await server.close();
  }
}

function failures(
  report: Report | undefined,
): { caseId: string; kind: string; check: string; code: ViolationCode; pointer?: string; message: string }[] {
  return (report?.cases ?? []).flatMap((c) =>
    c.checks
      .filter((check) => check.state === 'failed')
      .flatMap((check) =>
        check.violations.map((v) => ({
          caseId: c.id,
          kind: c.kind,
          check: check.check,
          code: v.code,
          message: v.message,
          ...(v.pointer === undefined ? {} : { pointer: v.pointer }),
        })),
      ),
  );
}

describe('the contract suite against conforming implementations', () => {
  let mock: StartedProcess;
  let reference: RunningFixture;
  beforeAll(async () => {
    [mock, reference] = await Promise.all([spawnMock(['--quiet']), startReferenceServer()]);
  });
  afterAll(async () => {
    await Promise.all([mock?.stop(), reference?.close()]);
  });

  it('passes against the Prism mock, with a summary, JUnit and a JSON report', async () => {
    const result = await contracts(['--base-url', mock.ready[1] ?? '', '--token', 't']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.report?.totals.failed).toBe(0);
    expect(result.report?.totals.passed).toBeGreaterThan(20);
    expect(result.stdout).toMatch(/^contracts: \d+ passed, 0 failed, \d+ skipped$/m);
    expect(result.stdout).toMatch(/^status_documented\s+\d+\s+0\s+0\s+0$/m);
    const junit = readFileSync(join(result.reportDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuites');
    expect(junit).toContain('positive › mfaType=');
    for (const c of result.report?.cases ?? []) expect(c.exchange?.response?.status, c.id).toBeTypeOf('number');
  });

  it('passes against the reference implementation, reading the base URL and token from the environment', async () => {
    const result = await contracts([], { CONTRACT_BASE_URL: reference.url, CONTRACT_TOKEN: 'reference-token' });
    expect(result.code).toBe(0);
    expect(failures(result.report)).toEqual([]);
    expect(result.report?.totals.warned).toBe(0);
  });
});

// Each broken server, the check and code that must catch it, and the kind of case it shows up on.
const BROKEN: {
  kind: BrokenKind;
  args?: string[];
  check: CheckName;
  code: ViolationCode;
  caseKind: string;
  pointer?: string;
  caseMatch?: RegExp;
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
  { kind: 'slow', args: ['--timeout', '300'], check: 'status_documented', code: 'TIMEOUT', caseKind: 'positive' },
  { kind: 'drops-connection', check: 'status_documented', code: 'CONNECTION_FAILED', caseKind: 'positive' },
  { kind: 'oversized-body', check: 'body_schema', code: 'BODY_TOO_LARGE', caseKind: 'positive', pointer: '' },
  {
    kind: 'forbidden-without-token',
    args: ['--strict'],
    check: 'status_in_policy',
    code: 'STATUS_OUTSIDE_POLICY',
    caseKind: 'auth',
  },
];

describe.concurrent('the contract suite against broken implementations', () => {
  for (const expected of BROKEN) {
    it(`fails ${expected.kind} on ${expected.check} with ${expected.code}`, async () => {
      await withServer(startBrokenServer(expected.kind), async (server) => {
        const result = await contracts(['--base-url', server.url, '--token', 't', ...(expected.args ?? [])]);
        expect(result.code).toBe(1);
        const caught = failures(result.report).filter((f) => f.check === expected.check && f.code === expected.code);
        expect(caught.length, `${expected.code} on ${expected.check}\n${result.stdout}`).toBeGreaterThan(0);
        for (const failure of caught) {
          expect(failure.kind).toBe(expected.caseKind);
          if (expected.pointer !== undefined) expect(failure.pointer).toBe(expected.pointer);
          if (expected.caseMatch) expect(failure.caseId).toMatch(expected.caseMatch);
        }
        // vitest prints failures on stderr, the summary on stdout.
        expect(result.stderr).toContain(`✘ ${expected.code} (${expected.check}) on `);
        expect(result.stderr).toMatch(/reproduce: curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:\d+\/mfa\/enable'/);
        expect(result.stdout).toMatch(/^contracts: \d+ passed, [1-9]\d* failed, \d+ skipped$/m);
      });
    });
  }

  it('says exactly where a field breaks the schema', async () => {
    await withServer(startBrokenServer('success-wrong-type'), async (server) => {
      const result = await contracts(['--base-url', server.url, '--token', 't']);
      const lines = result.stderr.split('\n');
      const at = lines.findIndex((line) =>
        line.includes('✘ BODY_SCHEMA_MISMATCH (body_schema) on POST /mfa/enable › positive › '),
      );
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines.slice(at + 1, at + 7)).toEqual([
        '  The 200 body at /success must be boolean; got "yes".',
        '  expected: boolean',
        '  actual:   "yes"',
        '  body pointer:   /success',
        '  schema pointer: openapi/flashback.yaml#/paths/~1mfa~1enable/post/responses/200/content/application~1json/schema/properties/success/type',
        '  fix: Change the field named by the pointer to what the schema asks.',
      ]);
    });
  });

  it('warns, and passes, on a status outside the gap policy unless --strict', async () => {
    await withServer(startBrokenServer('forbidden-without-token'), async (server) => {
      const result = await contracts(['--base-url', server.url, '--token', 't']);
      expect(result.code).toBe(0);
      expect(result.report?.totals.warned).toBe(1);
      expect(result.stdout).toContain(
        '⚠ STATUS_OUTSIDE_POLICY (status_in_policy) on POST /mfa/enable › auth › no Authorization header',
      );
      expect(result.stdout).toContain('It got 403; the document and the gap policy allow 401, 500');
    });
  });

  it('never prints or stores the token, even when the server echoes it', async () => {
    const token = 'tok-LEAKCHECK-7f3a9c';
    await withServer(startBrokenServer('echoes-token'), async (server) => {
      const result = await contracts(['--base-url', server.url, '--token', token]);
      const files = readdirSync(result.reportDir).map((name) => readFileSync(join(result.reportDir, name), 'utf8'));
      expect(files.length).toBe(2);
      for (const text of [result.stdout, result.stderr, ...files]) expect(text).not.toContain(token);
      expect(files.join('')).toContain('got Bearer $CONTRACT_TOKEN');
    });
  });

  it('skips the state-changing cases on a host that is not loopback unless --allow-mutations', async () => {
    await withServer(startBrokenServer('success-wrong-type'), async (server) => {
      // 0.0.0.0 reaches this machine's own listeners, yet is not a loopback name, so the guard applies to it.
      const url = server.url.replace('127.0.0.1', '0.0.0.0');
      const guarded = await contracts(['--base-url', url, '--token', 't']);
      expect(guarded.code).toBe(0);
      const positive = guarded.report?.cases.filter((c) => c.kind === 'positive') ?? [];
      expect(positive.length).toBeGreaterThan(0);
      for (const c of positive) {
        expect(c.exchange).toBeUndefined();
        for (const check of c.checks)
          expect(check).toMatchObject({ state: 'skipped', note: expect.stringContaining('pass --allow-mutations') });
      }
      expect(guarded.report?.totals.passed).toBeGreaterThan(0);
      const allowed = await contracts(['--base-url', url, '--token', 't', '--allow-mutations']);
      expect(allowed.code).toBe(1);
      expect(failures(allowed.report).some((f) => f.code === 'BODY_SCHEMA_MISMATCH')).toBe(true);
    });
  });
});

describe.concurrent('npm run contracts usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['no base URL', [], /^✘ No base URL: pass --base-url URL or set CONTRACT_BASE_URL\.$/m],
    ['a relative base URL', ['--base-url', 'localhost:4010'], /^✘ The base URL must use http or https; got "localhost:"\.$/m],
    ['a base URL that is not a URL', ['--base-url', 'not a url'], /^✘ The base URL "not a url" is not an absolute URL/m],
    ['an unknown flag', ['--base-url', 'http://127.0.0.1:9', '--bogus'], /^✘ Unknown option '--bogus'/m],
    ['a bad timeout', ['--base-url', 'http://127.0.0.1:9', '--timeout', 'soon'], /^✘ --timeout must be a whole number/m],
  ];
  for (const [what, args, message] of cases) {
    it(`exits 2 with one sentence for ${what}`, async () => {
      const result = await contracts(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('exits 2 when the contract document does not load', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'broken-contract-')), 'flashback.yaml');
    writeFileSync(broken, 'openapi: 3.1.0\ninfo: {}\npaths: []\n');
    const result = await contracts(['--base-url', 'http://127.0.0.1:9', '--contract', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✘ The contract .*flashback\.yaml does not load: /m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints usage for --help', async () => {
    const result = await contracts(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: npm run contracts -- --base-url URL');
  });
});

describe.concurrent('npm run contracts -- --load', () => {
  it('passes a server that keeps the contract at any concurrency, and prints latency percentiles', async () => {
    await withServer(startReferenceServer(), async (server) => {
      const result = await contracts(['--base-url', server.url, '--token', 't', '--load', '300', '--concurrency', '20']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^\[contracts\] load: 300 valid requests, 20 in flight/m);
      expect(result.stdout).toMatch(/^\[contracts\] latency p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms$/m);
      expect(result.stdout).toMatch(/^\[contracts\] errors \(timeouts, dropped connections\): 0$/m);
      expect(result.stdout).toMatch(/^contracts: 300 passed, 0 failed$/m);
    });
  });

  it('finds a server that breaks the contract only with several requests in flight', async () => {
    await withServer(startBrokenServer('breaks-under-concurrency'), async (server) => {
      const alone = await contracts(['--base-url', server.url, '--token', 't', '--load', '30', '--concurrency', '1']);
      expect(alone.code).toBe(0);
      const crowded = await contracts(['--base-url', server.url, '--token', 't', '--load', '200', '--concurrency', '10']);
      expect(crowded.code).toBe(1);
      expect(crowded.stderr).toMatch(/^\[contracts\] STATUS_UNDOCUMENTED: [1-9]\d* of 200 requests$/m);
      expect(crowded.stderr).toMatch(
        /^✘ STATUS_UNDOCUMENTED \(status_documented\) on POST \/mfa\/enable › positive › .* \(request \d+\)$/m,
      );
      expect(crowded.stderr).toContain('A valid request got 502; the document lists only 200, 500 for POST /mfa/enable.');
      expect(crowded.stderr).toMatch(/^contracts: \d+ passed, [1-9]\d* failed$/m);
    });
  });

  it('refuses to load a host that is not loopback unless --allow-mutations', async () => {
    const result = await contracts(['--base-url', 'https://backend.flashback.tech', '--load', '10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--load sends valid requests, which enable MFA');
  });
});
