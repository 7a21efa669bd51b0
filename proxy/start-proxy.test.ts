import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startReferenceServer, withFixture } from '../contracts/fixtures/reference-server.ts';
import { closeServer, listenOn } from '../runtime/server-lifecycle.ts';
import { cliArgs } from '../testing/cli.ts';
import { startProcess } from '../testing/start-process.ts';
import { openProxyWarning, readProxyCommand, UsageError } from './start-proxy.ts';
import { parseUpstream } from './upstream-target.ts';

describe('reading the proxy’s command line', () => {
  it.each([
    ['no upstream', [], /^No upstream: pass --upstream URL/],
    ['a file: upstream', ['--upstream', 'file:///etc/passwd'], /^The upstream must use http or https; got "file:"\.$/],
    ['a misspelt scheme', ['--upstream', 'htp://127.0.0.1:3000'], /^The upstream must use http or https; got "htp:"\.$/],
    ['credentials in the upstream', ['--upstream', 'http://u:p@127.0.0.1:3000'], /^The upstream may not carry credentials/],
    ['a query in the upstream', ['--upstream', 'http://127.0.0.1:3000/?x=1'], /may not have a query or a fragment\.$/],
    ['a bad timeout', ['--upstream', 'http://127.0.0.1:3000', '--timeout', '0'], /^--timeout must be a whole number/],
    ['a bad port', ['--upstream', 'http://127.0.0.1:3000', '--port', 'eighty'], /^The port must be a whole number/],
    ['an unknown flag', ['--upstream', 'http://127.0.0.1:3000', '--bogus'], /^Unknown option '--bogus'/],
  ])('refuses %s with one sentence', (_what, args, sentence) => {
    expect(() => readProxyCommand(args, {})).toThrow(UsageError);
    expect(() => readProxyCommand(args, {})).toThrow(sentence);
  });

  it('reads HOST and PORT as the mock does, and shows the upstream as requests will reach it', () => {
    expect(readProxyCommand(['--upstream', 'http://127.0.0.1:3000/api/'], { HOST: '127.0.0.2', PORT: '4100' })).toMatchObject({
      host: '127.0.0.2',
      port: 4100,
      upstream: { origin: 'http://127.0.0.1:3000', basePath: '/api', shown: 'http://127.0.0.1:3000/api' },
    });
  });

  it('warns, in one line, when it listens where others can reach it', () => {
    const upstream = parseUpstream('http://127.0.0.1:3000');
    expect(openProxyWarning({ host: '127.0.0.1', upstream })).toBeUndefined();
    expect(openProxyWarning({ host: '::1', upstream })).toBeUndefined();
    expect(openProxyWarning({ host: '0.0.0.0', upstream })).toBe(
      'warning: 0.0.0.0 is not a loopback address; anyone who can reach it can send requests through the proxy to http://127.0.0.1:3000.',
    );
  });
});

// The CLI smoke tests: one process at a time.
describe('npm run proxy', () => {
  it('appends findings to --report and prints a summary when stopped', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'proxy-report-')), 'findings.jsonl');
    await withFixture(startReferenceServer(), async (upstream) => {
      const proxy = await startProcess({
        command: process.execPath,
        args: cliArgs('proxy', '--upstream', upstream.url, '--port', '0', '--report', report),
        readyLine: /listening on (http:\/\/\S+), forwarding to /,
        deadlineMs: 30_000,
      });
      try {
        const answer = await request(`${proxy.ready[1]}/mfa/enable`, { method: 'POST', body: '{}' });
        await answer.body.dump();
        expect(answer.statusCode).toBe(401);
      } finally {
        expect(await proxy.stop()).toBe(0);
      }
      expect(proxy.output()).toMatch(/^\[proxy\] client mistake: POST \/mfa\/enable: it has no Authorization header/m);
      expect(proxy.output()).toMatch(/^\[proxy\] stopped on SIGTERM: 1 exchanges, client mistakes ×1\.$/m);
      const lines = readFileSync(report, 'utf8').trim().split('\n');
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
        expect.objectContaining({ kind: 'client', rule: 'missing-credentials', method: 'POST', path: '/mfa/enable' }),
      ]);
    });
  });

  it('exits 2 with one sentence when its --report file cannot be appended to', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      cliArgs('proxy', '--upstream', 'http://127.0.0.1:9', '--port', '0', '--report', '/dev/null/findings.jsonl'),
      { timeout: 60_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '✘ Cannot append findings to /dev/null/findings.jsonl: a part of that path is a file, not a directory.\n',
    );
  });

  it('exits 1 with one sentence when its port is busy', async () => {
    const busy = createServer();
    const url = await listenOn(busy, '127.0.0.1', 0);
    try {
      const result = await promisify(execFile)(
        process.execPath,
        cliArgs('proxy', '--upstream', 'http://127.0.0.1:9', '--port', new URL(url).port),
        { timeout: 60_000 },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^✘ Port \d+ on 127\.0\.0\.1 is already in use; pass --port or set PORT to another one\.\n$/);
    } finally {
      await closeServer(busy);
    }
  });
});
