// A backend team's own vitest file, as the README shows it: describeContract against a running implementation
// (here the reference server, started and stopped by this file) gives one test per check × case.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterTestOutcome } from './fixtures/adapter-reporter.ts';
import { type RunningFixture, startReferenceServer } from './fixtures/reference-server.ts';
import { describeContract } from './vitest.ts';

let server: RunningFixture | undefined;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(async () => {
  await server?.close();
});

describeContract({ baseUrl: () => server?.url ?? '', token: 'tok-ADAPTER-41c7d2e9' }, 'POST /mfa/enable keeps its contract');

// The adapter's other paths run in a vitest of their own, since their tests are meant to fail.
describe('describeContract against servers that fail, warn, skip and are not there', () => {
  let outcomes: AdapterTestOutcome[] = [];
  beforeAll(async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'adapter-paths-')), 'outcomes.json');
    const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
    const config = fileURLToPath(new URL('./fixtures/adapter-paths.config.ts', import.meta.url));
    // The nested run exits 1, as its tests fail: that is what is read, from the report it writes.
    await promisify(execFile)(process.execPath, [vitest, 'run', '--config', config], {
      env: { ...process.env, ADAPTER_REPORT: report },
      timeout: 120_000,
    }).catch((error: { code?: number }) => {
      if (error.code !== 1) throw error;
    });
    outcomes = JSON.parse(readFileSync(report, 'utf8')) as AdapterTestOutcome[];
  }, 150_000);
  const block = (name: string) => outcomes.filter((o) => o.name.startsWith(`${name} > `));

  it('fails the check a server breaks, with the whole description, and passes the rest', () => {
    const failed = block('failing').filter((o) => o.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const outcome of failed) {
      expect(outcome.name).toMatch(/^failing > POST \/mfa\/enable › positive › .* > body_schema$/);
      expect(outcome.errors[0]).toMatch(/^✘ BODY_SCHEMA_MISMATCH \(body_schema\) on POST \/mfa\/enable › positive › /);
      expect(outcome.errors[0]).toContain('The 200 body at /success must be boolean; got "yes".');
    }
    expect(block('failing').filter((o) => o.state === 'passed').length).toBeGreaterThan(0);
  });

  it('passes a check that only warns, with the warning as an annotation', () => {
    const warned = block('warning').filter((o) => o.annotations.length > 0);
    expect(warned.length).toBeGreaterThan(0);
    for (const outcome of warned) {
      expect(outcome.state).toBe('passed');
      expect(outcome.name).toMatch(/ > error_envelope$/);
      expect(outcome.annotations[0]).toMatchObject({
        type: 'warning',
        message: expect.stringContaining('ERROR_ENVELOPE_MISMATCH'),
      });
    }
  });

  it('skips a check that cannot run, with the reason', () => {
    const skipped = block('skipping').filter((o) => o.state === 'skipped');
    expect(skipped.map((o) => o.name.replace(/.* > /, '')).sort()).toEqual(
      expect.arrayContaining(['body_schema', 'content_type']),
    );
    for (const outcome of skipped) expect(outcome.note).toMatch(/status is not documented/);
    expect(block('skipping').some((o) => o.state === 'failed' && o.name.endsWith('status_documented'))).toBe(true);
  });

  it('fails every test with the one sentence the CLI prints when nothing can be judged', () => {
    const tests = block('not judged');
    expect(tests.length).toBeGreaterThan(0);
    for (const outcome of tests) {
      expect(outcome.state).toBe('failed');
      expect(outcome.errors[0]).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:\d+: .*Is the implementation running there\?$/);
    }
  });
});
