import { execFile, spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildCases } from '../engine/index.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import { cliArgs } from '../testing/cli.ts';
import type { ContractReport } from './check-implementation.ts';
import { startBrokenServer } from './fixtures/broken-servers.ts';
import { startReferenceServer, withFixture } from './fixtures/reference-server.ts';
import { testSettings } from './fixtures/test-settings.ts';
import { type ContractCommand, checkCommand, readContractCommand, runContracts, UsageError } from './run-contracts.ts';
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

  it('exits 2 with one sentence on stderr, and nothing on stdout, for a misspelt flag', async () => {
    const result = await contracts(['--base-ulr', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^✘ Unknown option '--base-ulr'\. Did you mean --base-url\?/);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('prints usage for --help', async () => {
    const result = await contracts(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: CONTRACT_TOKEN=… flashback-contract check --base-url URL');
  });
});

// The same command in this process: what the CLI would print on stdout as it goes (printed), and on stderr when
// it exits with a code other than 0 (its lines, as runCli writes them).
describe('the check command', () => {
  const check = async (args: string[], env: NodeJS.ProcessEnv) => {
    const printed: string[] = [];
    const outcome = await checkCommand(args, env, (line) => printed.push(line));
    return { exitCode: outcome.exitCode, printed, stderr: outcome.lines.map((line) => `${line}\n`).join('') };
  };

  it.each([
    ['an unknown flag', ['--base-url', 'http://127.0.0.1:9', '--bogus'], {}, /^✘ Unknown option '--bogus'/],
    ['a misspelt flag', ['--base-ulr', 'http://127.0.0.1:9'], {}, /^✘ Unknown option '--base-ulr'\. Did you mean --base-url\?/],
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
    const result = await check(args, env);
    expect(result.exitCode).toBe(2);
    expect(result.printed).toEqual([]);
    expect(result.stderr).toMatch(sentence);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(result.stderr).not.toContain(TOKEN);
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
      'an empty --report-dir',
      ['--base-url', 'http://h', '--report-dir', ''],
      /^--report-dir needs a directory; got an empty string\.$/,
    ],
    ['an empty --contract', ['--base-url', 'http://h', '--contract', ''], /^--contract needs the path of an OpenAPI document/],
    [
      'a --concurrency no run can hold',
      ['--base-url', 'http://h', '--load', '5', '--concurrency', '999999999999999'],
      /^--concurrency must be a whole number from 1 to 1000, as each request in flight holds a connection; got "999999999999999"\.$/,
    ],
    [
      'a --concurrency one past the bound',
      ['--base-url', 'http://h', '--load', '5', '--concurrency', '1001'],
      /^--concurrency must be a whole number from 1 to 1000/,
    ],
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

  it('refuses a report file that is a symbolic link or a named pipe, before sending anything, and leaves its target alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contracts-report-'));
    const target = join(mkdtempSync(join(tmpdir(), 'unrelated-')), 'precious.txt');
    writeFileSync(target, 'keep me\n');
    symlinkSync(target, join(dir, 'junit.xml'));
    const piped = mkdtempSync(join(tmpdir(), 'contracts-report-'));
    await run('mkfifo', [join(piped, 'report.json')]);
    await withFixture(startReferenceServer(), async (server) => {
      await expect(runContracts(command(server.url, dir), () => undefined)).rejects.toThrow(
        /^Cannot write reports to .*: .*junit\.xml is a symbolic link, which the kit does not follow; remove it/,
      );
      await expect(runContracts(command(server.url, piped), () => undefined)).rejects.toThrow(
        /^Cannot write reports to .*: .*report\.json is not a regular file; remove it/,
      );
      expect(server.received).toEqual([]);
    });
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(lstatSync(join(dir, 'junit.xml')).isSymbolicLink()).toBe(true);
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
    expect(text.startsWith('# earlier step\n## Contract check against http://127.0.0.1:')).toBe(true);
    expect(text).toMatch(/^\| `body_schema` \| \d+ \| [1-9]\d* \| 0 \| 0 \|$/m);
    expect(text).toMatch(
      /^- \*\*BODY_SCHEMA_MISMATCH\*\* on POST \/mfa\/enable › positive › .*: The 200 body at \/success must be boolean; got "yes"\.$/m,
    );
    expect(text).toMatch(/^ {2}curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:\d+\/mfa\/enable' .*\$CONTRACT_TOKEN/m);
    for (let i = 0; i + 8 <= TOKEN.length; i += 1) expect(text).not.toContain(TOKEN.slice(i, i + 8));
  });
});

describe('the CI summary of a server that sends HTML', () => {
  it('shows the body as text: no tag of it reaches the Markdown', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'step-summary-')), 'summary.md');
    await withFixture(startBrokenServer('html-500'), async (server) => {
      const command = readContractCommand(['--base-url', server.url], { CONTRACT_TOKEN: TOKEN, GITHUB_STEP_SUMMARY: summary });
      if (command.help) throw new Error('unexpected --help');
      expect((await runContracts(command, () => undefined)).exitCode).toBe(1);
    });
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('&lt;html&gt;&lt;body&gt;&lt;h1&gt;500 Internal Server Error&lt;/h1&gt;');
    expect(text).not.toMatch(/<\/?(?:html|body|h1)>/);
  });
});

describe('a run that is interrupted', () => {
  it('writes what it judged, marked interrupted, on SIGINT, and exits 2', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'contracts-report-'));
    await withFixture(startBrokenServer('hangs-after-first-success'), async (server) => {
      const child = spawn(
        process.execPath,
        cliArgs('check', '--base-url', server.url, '--timeout', '120000', '--report-dir', reportDir),
        {
          env: { ...process.env, CONTRACT_BASE_URL: '', CONTRACT_TOKEN: TOKEN },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        // Every case is sent once the refusals are answered; the valid requests after the first hang.
        // The malformed request never reaches a request handler: Node's parser refuses it first.
        const count = buildCases(await loadContract(), loadGapPolicy()).filter((c) => c.request.raw === undefined).length;
        await expect.poll(() => server.received.length, { timeout: 30_000 }).toBe(count);
        child.kill('SIGINT');
        expect(await exited).toBe(2);
      } finally {
        child.kill('SIGKILL');
      }
      expect(stdout).toMatch(
        /^contracts: \d+ passed, 0 failed, [1-9]\d* skipped; INTERRUPTED: The run was interrupted after \d+ of \d+ cases/m,
      );
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as ContractReport;
      expect(report.interrupted).toMatch(/^The run was interrupted/);
      expect(report.totals.passed).toBeGreaterThan(0);
      const junit = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<error message="The run was interrupted after \d+ of \d+ cases[^"]*" type="INTERRUPTED"\/>/);
      expect(junit).toContain('not judged: the run was interrupted');
    });
  });
});

describe('secrets in every output', () => {
  it('are redacted in stdout, report.json, junit.xml and the CI summary: a token echoed into a header name or JSON-escaped, a user name in the base URL', async () => {
    const token = 'tok-"QUOTE-5b1e90c7a2';
    const user = 'ghp_USERNAME0b7d5e1f93';
    const dir = mkdtempSync(join(tmpdir(), 'contracts-report-'));
    const summary = join(dir, 'summary.md');
    const printed: string[] = [];
    let outcome: Awaited<ReturnType<typeof runContracts>> | undefined;
    await withFixture(startBrokenServer('echoes-token-in-names'), async (server) => {
      const command = readContractCommand(
        ['--base-url', server.url.replace('http://', `http://${user}@`), '--report-dir', join(dir, 'reports'), '--strict'],
        { CONTRACT_TOKEN: token, GITHUB_STEP_SUMMARY: summary },
      );
      if (command.help) throw new Error('unexpected --help');
      outcome = await runContracts(command, (line) => printed.push(line));
    });
    expect(outcome?.exitCode).toBe(1);
    const outputs = {
      stdout: [...printed, ...(outcome?.lines ?? [])].join('\n'),
      'report.json': readFileSync(join(dir, 'reports', 'report.json'), 'utf8'),
      'junit.xml': readFileSync(join(dir, 'reports', 'junit.xml'), 'utf8'),
      summary: readFileSync(summary, 'utf8'),
    };
    // The echo reached each output, redacted: the reports are not silent about it.
    expect(outputs.stdout).toContain('BODY_NOT_JSON');
    // The header name holds the token lowercased and without its quote: its fragments are hidden.
    expect(outputs['report.json']).toContain('"x-echo-tok-[redacted]": "seen"');
    const secrets = [token, JSON.stringify(token).slice(1, -1), token.replace(/[^A-Za-z0-9-]/g, '').toLowerCase(), user];
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).toContain('[redacted]@127.0.0.1');
      for (const secret of secrets) {
        for (let i = 0; i + 8 <= secret.length; i += 1)
          expect(text, `${name} holds ${secret.slice(i, i + 8)}`).not.toContain(secret.slice(i, i + 8));
      }
    }
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
      // The server holds each valid request 20 ms and answers 502 whenever another is in flight: ten one at a
      // time all pass, and fifty ten at a time overlap in every round after the first request.
      expect(loadExitCode(await runLoad(settings(server.url), 10, 1))).toBe(0);
      const crowded = await runLoad(settings(server.url), 50, 10);
      expect(loadExitCode(crowded)).toBe(1);
      expect(crowded.violations.STATUS_UNDOCUMENTED).toBeGreaterThan(0);
      expect(crowded.examples.join('\n')).toContain(
        'Your server answered 502 to a valid request; the contract allows only 200, 500 for POST /mfa/enable.',
      );
    });
  });

  it('judges nothing, and says the token was refused, when every answer is a 401', async () => {
    await withFixture(startBrokenServer('refuses-every-token'), async (server) => {
      const report = await runLoad(settings(server.url), 20, 4);
      expect(loadExitCode(report)).toBe(2);
      expect(report.notJudged).toMatch(/^The token was refused: all 20 valid requests sent with it got 401 \(20\)/);
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
