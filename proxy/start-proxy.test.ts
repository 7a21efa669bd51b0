import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startEndlessServer } from '../contracts/fixtures/endless-server.ts';
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
    [
      'a bound of 0 in flight',
      ['--upstream', 'http://127.0.0.1:3000', '--max-in-flight', '0'],
      /^--max-in-flight must be a whole number of exchanges from 1 to 100000; got "0"\.$/,
    ],
    [
      'a bound too large',
      ['--upstream', 'http://127.0.0.1:3000', '--max-in-flight', '1e9'],
      /^--max-in-flight must be a whole number of exchanges from 1 to 100000; got "1e9"\.$/,
    ],
    ['an unknown flag', ['--upstream', 'http://127.0.0.1:3000', '--bogus'], /^Unknown option '--bogus'/],
    [
      'an empty --report',
      ['--upstream', 'http://127.0.0.1:3000', '--report', ''],
      /^--report needs a file path; got an empty one\.$/,
    ],
    [
      'an empty --contract',
      ['--upstream', 'http://127.0.0.1:3000', '--contract', ''],
      /^--contract needs a file path; got an empty one\.$/,
    ],
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
    expect(openProxyWarning({ host: '127.0.0.2', upstream })).toBeUndefined();
    expect(openProxyWarning({ host: 'localhost', upstream })).toBeUndefined();
    expect(openProxyWarning({ host: '0.0.0.0', upstream })).toBe(
      'warning: 0.0.0.0 is not a loopback address; anyone who can reach it can send requests through the proxy to http://127.0.0.1:3000.',
    );
    // This machine's addresses for a caller, but every interface for a listener: open to all.
    expect(openProxyWarning({ host: '::', upstream })).toMatch(/^warning: :: is not a loopback address/);
    expect(openProxyWarning({ host: '192.168.1.20', upstream })).toMatch(/^warning: 192\.168\.1\.20 is not a loopback/);
  });
});

// The CLI smoke tests: one process at a time (child processes never run side by side in a test).
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
      expect(proxy.output()).toMatch(/^\[proxy\] stopped on SIGTERM: 1 exchange, client mistakes ×1\.$/m);
      expect(proxy.output()).not.toMatch(/warning:/);
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

describe('npm run proxy, left running', () => {
  it('tells a report write error in one sentence, goes on serving, and counts what it could not write', async () => {
    await withFixture(startReferenceServer(), async (upstream) => {
      const proxy = await startProcess({
        command: process.execPath,
        args: cliArgs('proxy', '--upstream', upstream.url, '--port', '0', '--report', '/dev/full'),
        readyLine: /listening on (http:\/\/\S+), forwarding to /,
        deadlineMs: 30_000,
      });
      try {
        for (let i = 0; i < 3; i++) {
          const answer = await request(`${proxy.ready[1]}/mfa/enable`, { method: 'POST', body: '{}' });
          await answer.body.dump();
          expect(answer.statusCode).toBe(401);
        }
      } finally {
        expect(await proxy.stop()).toBe(0);
      }
      const output = proxy.output();
      expect(output).not.toMatch(/ENOSPC|\n\s+at /);
      expect(output.match(/^\[proxy\] Could not append .*$/gm)).toEqual([
        expect.stringMatching(
          /^\[proxy\] Could not append (a finding|\d findings) to \/dev\/full: the disk is full; the proxy goes on, and tries again with the next finding\.$/,
        ),
      ]);
      expect(output).toMatch(
        /^\[proxy\] stopped on SIGTERM: 3 exchanges, client mistakes ×3; 3 findings could not be written to \/dev\/full\.$/m,
      );
    });
  });

  it('stops on SIGTERM with an endless download in flight: cuts it after the grace period and prints the summary', async () => {
    const endless = await startEndlessServer({ chunkBytes: 16 * 1024, everyMs: 20 });
    try {
      const proxy = await startProcess({
        command: process.execPath,
        args: cliArgs('proxy', '--upstream', endless.url, '--port', '0'),
        readyLine: /listening on (http:\/\/\S+), forwarding to /,
        deadlineMs: 30_000,
      });
      try {
        const download = await request(`${proxy.ready[1]}/endless`);
        const read = (async () => {
          try {
            for await (const _chunk of download.body) {
            }
          } catch {
            // cut by the proxy: expected
          }
        })();
        // No kill after a grace of ours: the proxy must exit by itself (the upper bound only cleans up).
        expect(await proxy.stop(30_000)).toBe(0);
        await read;
      } finally {
        await proxy.stop(0);
      }
      expect(proxy.output()).toMatch(/^\[proxy\] stopping on SIGTERM: 1 exchange in flight get 2000 ms to finish/m);
      expect(proxy.output()).toMatch(/^\[proxy\] not judged: GET \/endless: the proxy stopped before the exchange was over$/m);
      expect(proxy.output()).toMatch(/^\[proxy\] stopped on SIGTERM: 1 exchange, no findings; not judged: stopped ×1\.$/m);
    } finally {
      await endless.close();
    }
  });

  it('exits at once on a second signal', async () => {
    const endless = await startEndlessServer({ chunkBytes: 16 * 1024, everyMs: 20 });
    try {
      const proxy = await startProcess({
        command: process.execPath,
        args: cliArgs('proxy', '--upstream', endless.url, '--port', '0'),
        readyLine: /listening on (http:\/\/\S+), forwarding to /,
        deadlineMs: 30_000,
      });
      try {
        const download = await request(`${proxy.ready[1]}/endless`);
        download.body.on('error', () => undefined);
        download.body.resume();
        process.kill(proxy.pid, 'SIGTERM');
        await until(() => /stopping on SIGTERM/.test(proxy.output()), 'the proxy to say it is stopping');
        expect(await proxy.stop(30_000)).toBe(0); // the second SIGTERM
      } finally {
        await proxy.stop(0);
      }
      expect(proxy.output()).toMatch(/^\[proxy\] stopped at once on SIGTERM: 1 exchange, no findings\.$/m);
    } finally {
      await endless.close();
    }
  });
});

/** Polls until `condition` holds; throws after 20 s (an upper bound for a loaded machine, not a timing assertion). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`Still waiting after 20 s for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
