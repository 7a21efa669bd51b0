import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliArgs } from '../testing/cli.ts';
import { startBrokenServer } from './fixtures/broken-servers.ts';
import { startReferenceServer, withFixture } from './fixtures/reference-server.ts';
import { testSettings } from './fixtures/test-settings.ts';
import { type ContractCommand, readContractCommand, runContracts, UsageError } from './run-contracts.ts';
import { loadExitCode, runLoad } from './run-load.ts';
import { UnwritableOutput } from './write-reports.ts';

const TOKEN = 'tok-CLISMOKE-1e5b77d0';
const run = promisify(execFile);

/** Runs the built CLI as `npm run contracts` does, without npm's wrapper; never throws. */
async function contracts(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, cliArgs('check', ...args), {
    env: { ...process.env, CONTRACT_BASE_URL: '', CONTRACT_TOKEN: '', ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

// The CLI smoke tests: one process at a time, each checking an exit code and what a person reads.
describe('npm run contracts', () => {
  it('exits 0 against a conforming implementation and writes junit.xml and report.json', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'contracts-report-'));
    await withFixture(startReferenceServer(), async (server) => {
      const result = await contracts(['--report-dir', reportDir], { CONTRACT_BASE_URL: server.url, CONTRACT_TOKEN: TOKEN });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^contracts: \d+ passed, 0 failed, 0 skipped$/m);
      expect(result.stdout).toMatch(/^error_envelope\s+\d+\s+0\s+0\s+0$/m);
      const junit = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuites tests="\d+" failures="0" errors="0" skipped="0">/);
      expect(junit).toContain('classname="POST /mfa/enable › positive › mfaType=');
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { totals: { failed: number } };
      expect(report.totals.failed).toBe(0);
    });
  });

  it('exits 1, describing each failure, against an implementation that breaks the contract', async () => {
    await withFixture(startBrokenServer('success-wrong-type'), async (server) => {
      const result = await contracts(['--base-url', server.url], { CONTRACT_TOKEN: TOKEN });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^✘ BODY_SCHEMA_MISMATCH \(body_schema\) on POST \/mfa\/enable › positive › /m);
      expect(result.stdout).toMatch(/^contracts: \d+ passed, [1-9]\d* failed, 0 skipped$/m);
    });
  });

  it.each([
    ['an unknown flag', ['--base-url', 'http://127.0.0.1:9', '--bogus'], {}, /^✘ Unknown option '--bogus'/],
    ['no token', ['--base-url', 'http://127.0.0.1:9'], {}, /^✘ No token: set CONTRACT_TOKEN/],
    [
      'a token with a trailing newline',
      ['--base-url', 'http://127.0.0.1:9'],
      { CONTRACT_TOKEN: `${TOKEN}\n` },
      /^✘ The token has a line feed/,
    ],
    [
      'a report directory under a file',
      ['--base-url', 'http://127.0.0.1:9', '--report-dir', '/dev/null/x'],
      { CONTRACT_TOKEN: TOKEN },
      /^✘ Cannot write reports to \/dev\/null\/x: /,
    ],
    [
      '--load with a token that cannot be sent',
      ['--base-url', 'http://127.0.0.1:9', '--load', '50'],
      { CONTRACT_TOKEN: `${TOKEN}\r\n` },
      /^✘ The token has a carriage return/,
    ],
  ])('exits 2 with one sentence for %s', async (_what, args, env, sentence) => {
    const result = await contracts(args, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(sentence);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('prints usage for --help', async () => {
    const result = await contracts(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: CONTRACT_TOKEN=… flashback-contract check --base-url URL');
  });
});

describe('reading the command line', () => {
  it.each([
    ['no base URL', [], /^No base URL: pass --base-url URL or set CONTRACT_BASE_URL\.$/],
    ['a relative base URL', ['--base-url', 'localhost:4010'], /^The base URL must use http or https; got "localhost:"\.$/],
    ['a base URL that is not a URL', ['--base-url', 'not a url'], /^The base URL "not a url" is not an absolute URL/],
    [
      'a bad timeout',
      ['--base-url', 'http://h', '--timeout', 'soon'],
      /^--timeout must be a whole number above 0; got "soon"\.$/,
    ],
    [
      'a timeout no timer can hold',
      ['--base-url', 'http://h', '--timeout', '3000000000'],
      /^The timeout must be a whole number of milliseconds from 1 to 2147483647/,
    ],
    ['--concurrency without --load', ['--base-url', 'http://h', '--concurrency', '3'], /^--concurrency goes with --load N\.$/],
    ['--load 0', ['--base-url', 'http://h', '--load', '0'], /^--load must be a whole number above 0; got "0"\.$/],
    [
      '--report-dir with --load',
      ['--base-url', 'http://h', '--load', '5', '--report-dir', 'r'],
      /^--report-dir goes with the cases/,
    ],
  ])('refuses %s with a sentence', (_what, args, sentence) => {
    expect(() => readContractCommand(args, {})).toThrow(UsageError);
    expect(() => readContractCommand(args, {})).toThrow(sentence);
  });

  it('notes that a token on the command line is printed by npm, and hides the base URL password', () => {
    const command = readContractCommand(['--base-url', 'http://ci:pw@127.0.0.1:9', '--token', TOKEN], {});
    expect(command).toMatchObject({ help: false, notes: [expect.stringContaining('set CONTRACT_TOKEN instead')] });
    expect(readContractCommand(['--base-url', 'http://127.0.0.1:9'], { CONTRACT_TOKEN: TOKEN })).toMatchObject({ notes: [] });
  });
});

describe('report directories', () => {
  const command = (baseUrl: string, reportDir: string): ContractCommand => ({
    settings: testSettings(baseUrl, TOKEN),
    reportDir,
    notes: [],
  });

  it('refuses a directory it cannot write before sending a single request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'not-a-dir-')), 'file');
    writeFileSync(file, 'x');
    // A server that answers 204 to everything breaks the contract: losing that verdict would be a lie.
    await withFixture(startBrokenServer('no-content'), async (server) => {
      for (const dir of ['/dev/null/x', file, '/proc/nope']) {
        await expect(
          runContracts(command(server.url, dir), () => undefined),
          dir,
        ).rejects.toThrow(UnwritableOutput);
      }
      expect(server.received).toEqual([]);
      const written = mkdtempSync(join(tmpdir(), 'contracts-report-'));
      expect((await runContracts(command(server.url, written), () => undefined)).exitCode).toBe(1);
    });
  });

  it('writes a junit.xml that says why nothing was judged, rather than an empty one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contracts-report-'));
    const closed = await withFixture(startReferenceServer(), async (server) => server.url);
    expect((await runContracts(command(closed, dir), () => undefined)).exitCode).toBe(2);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites tests="1" failures="0" errors="1" skipped="0">/);
    expect(junit).toMatch(/<error message="Could not reach http:\/\/127\.0\.0\.1:\d+: [^"]+" type="NOT_JUDGED"\/>/);
  });
});

describe('the CI summary (GITHUB_STEP_SUMMARY)', () => {
  it('appends counts per check and each failure with its code, sentence and curl command, and no secret', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'step-summary-')), 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    await withFixture(startBrokenServer('echoes-long'), async (server) => {
      const command = readContractCommand(['--base-url', server.url], { CONTRACT_TOKEN: TOKEN, GITHUB_STEP_SUMMARY: summary });
      if (command.help) throw new Error('unexpected --help');
      expect((await runContracts(command, () => undefined)).exitCode).toBe(0);
    });
    await withFixture(startBrokenServer('success-wrong-type'), async (server) => {
      const command = readContractCommand(['--base-url', server.url], { CONTRACT_TOKEN: TOKEN, GITHUB_STEP_SUMMARY: summary });
      if (command.help) throw new Error('unexpected --help');
      expect((await runContracts(command, () => undefined)).exitCode).toBe(1);
    });
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## Contract check against `http://127.0.0.1:')).toBe(true);
    expect(text).toMatch(/^\| `body_schema` \| \d+ \| [1-9]\d* \| 0 \| 0 \|$/m);
    expect(text).toMatch(
      /^- \*\*BODY_SCHEMA_MISMATCH\*\* on POST \/mfa\/enable › positive › .*: The 200 body at \/success must be boolean; got "yes"\.$/m,
    );
    expect(text).toMatch(/^ {2}curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:\d+\/mfa\/enable' .*\$CONTRACT_TOKEN/m);
    for (let i = 0; i + 8 <= TOKEN.length; i += 1) expect(text).not.toContain(TOKEN.slice(i, i + 8));
  });
});

describe('an unwritable CI summary', () => {
  it('is said in one sentence before a single request is sent', async () => {
    await withFixture(startReferenceServer(), async (server) => {
      const command = readContractCommand(['--base-url', server.url], {
        CONTRACT_TOKEN: TOKEN,
        GITHUB_STEP_SUMMARY: '/dev/null/summary.md',
      });
      if (command.help) throw new Error('unexpected --help');
      await expect(runContracts(command, () => undefined)).rejects.toThrow(
        'Cannot append the summary to /dev/null/summary.md (GITHUB_STEP_SUMMARY): a part of that path is a file, not a directory.',
      );
      expect(server.received).toEqual([]);
    });
  });
});

describe('npm run contracts -- --load', () => {
  const settings = (baseUrl: string) => testSettings(baseUrl, TOKEN);

  it('passes a server that keeps the contract at any concurrency', async () => {
    await withFixture(startReferenceServer(), async (server) => {
      const report = await runLoad(settings(server.url), 300, 20);
      expect(loadExitCode(report)).toBe(0);
      expect(report).toMatchObject({ requests: 300, failedRequests: 0, errors: 0 });
      expect(server.received.length).toBe(300);
    });
  });

  it('finds a server that breaks the contract only with several requests in flight', async () => {
    await withFixture(startBrokenServer('breaks-under-concurrency'), async (server) => {
      expect(loadExitCode(await runLoad(settings(server.url), 30, 1))).toBe(0);
      const crowded = await runLoad(settings(server.url), 200, 10);
      expect(loadExitCode(crowded)).toBe(1);
      expect(crowded.violations.STATUS_UNDOCUMENTED).toBeGreaterThan(0);
      expect(crowded.examples.join('\n')).toContain(
        'A valid request got 502; the document lists only 200, 500 for POST /mfa/enable.',
      );
    });
  });

  it('judges nothing, and says why, where the valid requests may not be sent', async () => {
    // An address literal: the guard asks no resolver about it, and nothing is sent.
    const report = await runLoad({ ...settings('https://198.51.100.7') }, 10, 1);
    expect(loadExitCode(report)).toBe(2);
    expect(report.notJudged).toMatch(
      /^--load sends valid requests, which could change state on 198\.51\.100\.7, which is not this machine; pass --allow-mutations/,
    );
  });
});
