import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseExample } from '../engine/index.ts';
import { DOCUMENT_PATH, GAP_POLICY_PATH, loadContract } from '../openapi/index.ts';
import { type RunningMock, startMock } from './start-mock.ts';

const folder = mkdtempSync(join(tmpdir(), 'mock-reload-'));
const documentPath = join(folder, 'flashback.yaml');
const policyPath = join(folder, 'gap-policy.yaml');
const reloads: string[] = [];
let mock: RunningMock;
let example: ResponseExample;
let text: string;

beforeAll(async () => {
  copyFileSync(DOCUMENT_PATH, documentPath);
  copyFileSync(GAP_POLICY_PATH, policyPath);
  const operation = (await loadContract()).operations[0];
  const found = operation?.responses.flatMap((r) => r.examples).find((e) => e.status >= 200 && e.status < 300);
  if (!found) throw new Error('The document has no success example to edit.');
  example = found;
  // The example's first string, which the edit changes.
  text = Object.values(example.value as Record<string, unknown>).find((v): v is string => typeof v === 'string') ?? '';
  mock = await startMock({ host: '127.0.0.1', port: 0, documentPath, policyPath, onReload: (line) => reloads.push(line) });
});

afterAll(async () => {
  await mock?.close();
});

async function served(by: RunningMock = mock): Promise<string> {
  const operation = by.contract.operations[0];
  const response = await request(`${by.url}${operation?.path}?__example=${example.name}`, {
    method: 'POST',
    headers: { authorization: 'Bearer reload', 'content-type': 'application/json' },
    body: JSON.stringify(operation?.requestBody?.examples[0]?.value),
  });
  return response.body.text();
}

/** Waits until a mock reports a reload line matching `pattern` after the first `seen` lines of `lines`. */
async function reported(pattern: RegExp, seen: number, lines: readonly string[] = reloads): Promise<string> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const line = lines.slice(seen).find((candidate) => pattern.test(candidate));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The mock reported no line matching ${pattern}: ${lines.join('; ')}`);
}

describe('the mock reloads its document', () => {
  it('serves an edited example from the next request on, and says so in one line', async () => {
    expect(await served()).toContain(text);
    const seen = reloads.length;
    writeFileSync(documentPath, readFileSync(documentPath, 'utf8').replace(text, 'Edited while the mock ran'));
    await reported(/^reloaded .*flashback\.yaml and .*gap-policy\.yaml: \d+ examples$/, seen);
    expect(await served()).toContain('Edited while the mock ran');
  });

  it('keeps serving the last good version when an edit does not load, naming the problem', async () => {
    const seen = reloads.length;
    writeFileSync(documentPath, `${readFileSync(documentPath, 'utf8')}\npaths: [unterminated\n`);
    await reported(
      /^kept the last good version, since the edit does not load: The contract .*flashback\.yaml does not load: /,
      seen,
    );
    expect(await served()).toContain('Edited while the mock ran');
  });

  it('refuses a billion-laughs edit in one sentence, and keeps answering meanwhile', async () => {
    const seen = reloads.length;
    // Nine levels of ten aliases each: 10^9 nodes once expanded, which froze the mock for minutes.
    const laughs = ['    a0: &a0 {type: string}'];
    for (let level = 1; level <= 9; level += 1) {
      laughs.push(`    a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
    }
    const good = readFileSync(DOCUMENT_PATH, 'utf8').replace(text, 'Edited while the mock ran');
    writeFileSync(documentPath, `${good}\nx-laughs:\n${laughs.join('\n')}\n`);
    await reported(
      /^kept the last good version, since the edit does not load: The contract .*flashback\.yaml expands a YAML alias more than 100 times/,
      seen,
    );
    expect(await served()).toContain('Edited while the mock ran');
  });
});

describe('the mock refuses what the engine cannot judge', () => {
  const good = (): string => readFileSync(DOCUMENT_PATH, 'utf8').replace(text, 'Edited while the mock ran');

  it('keeps the last good version when an edit makes a schema that does not compile (type: strang), naming its pointer', async () => {
    const seen = reloads.length;
    writeFileSync(documentPath, good().replace('type: boolean', 'type: strang'));
    await reported(
      /^kept the last good version, since the edit does not load: .*cannot compile at #\/paths\/~1mfa~1enable\/post\/responses\//,
      seen,
    );
    expect(await served()).toContain('Edited while the mock ran');
  });

  it('keeps the last good version when an edit uses a feature the engine does not implement, naming it', async () => {
    const seen = reloads.length;
    const matrix = good().replace(
      '      requestBody:',
      '      parameters:\n        - {name: v, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}\n      requestBody:',
    );
    writeFileSync(documentPath, matrix);
    await reported(
      /^kept the last good version, since the edit does not load: .* uses the query parameter style "pipeDelimited" at #\/paths\/~1mfa~1enable\/post\/parameters\/0\/style/,
      seen,
    );
    expect(await served()).toContain('Edited while the mock ran');
  });

  it('refuses to start on such a document, in one sentence', async () => {
    const path = join(folder, 'pipe.yaml');
    writeFileSync(path, readFileSync(documentPath, 'utf8'));
    await expect(startMock({ host: '127.0.0.1', port: 0, watch: false, documentPath: path })).rejects.toThrow(
      /uses the query parameter style "pipeDelimited" at #\/paths\/~1mfa~1enable\/post\/parameters\/0\/style, which the kit does not judge; the kit parses query parameters in style form or deepObject\.$/,
    );
  });
});

describe('the mock reloads a document behind symbolic links', () => {
  it('sees a ConfigMap-style swap: doc -> ..data/doc, with ..data re-pointed by a rename', async () => {
    // The layout kubelet mounts a ConfigMap with, and its atomic update (a new version folder, a new link, a rename).
    const mount = mkdtempSync(join(tmpdir(), 'mock-configmap-'));
    mkdirSync(join(mount, '..v1'));
    copyFileSync(DOCUMENT_PATH, join(mount, '..v1', 'flashback.yaml'));
    symlinkSync('..v1', join(mount, '..data'));
    symlinkSync(join('..data', 'flashback.yaml'), join(mount, 'flashback.yaml'));
    const lines: string[] = [];
    const swapped = await startMock({
      host: '127.0.0.1',
      port: 0,
      documentPath: join(mount, 'flashback.yaml'),
      policyPath: GAP_POLICY_PATH,
      onReload: (line) => lines.push(line),
    });
    try {
      expect(await served(swapped)).toContain(text);
      // Twice: after the first swap the link leads elsewhere, and the old version's folder is deleted.
      for (const [version, edit] of [
        ['..v2', 'Swapped in by a ConfigMap'],
        ['..v3', 'Swapped in again'],
      ] as const) {
        const seen = lines.length;
        mkdirSync(join(mount, version));
        writeFileSync(join(mount, version, 'flashback.yaml'), readFileSync(DOCUMENT_PATH, 'utf8').replace(text, edit));
        symlinkSync(version, join(mount, '..data_tmp'));
        renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
        await reported(/^reloaded .*flashback\.yaml and .*gap-policy\.yaml: \d+ examples$/, seen, lines);
        expect(await served(swapped)).toContain(edit);
        rmSync(join(mount, version === '..v2' ? '..v1' : '..v2'), { recursive: true });
      }
    } finally {
      await swapped.close();
    }
  });

  it('sees an edit of the file a link points to in another folder', async () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'mock-link-target-')), 'real.yaml');
    copyFileSync(DOCUMENT_PATH, elsewhere);
    const linked = join(mkdtempSync(join(tmpdir(), 'mock-link-')), 'flashback.yaml');
    symlinkSync(elsewhere, linked);
    const lines: string[] = [];
    const viaLink = await startMock({
      host: '127.0.0.1',
      port: 0,
      documentPath: linked,
      policyPath: GAP_POLICY_PATH,
      onReload: (line) => lines.push(line),
    });
    try {
      expect(await served(viaLink)).toContain(text);
      writeFileSync(elsewhere, readFileSync(elsewhere, 'utf8').replace(text, 'Edited through the link'));
      await reported(/^reloaded .*flashback\.yaml and .*gap-policy\.yaml: \d+ examples$/, 0, lines);
      expect(await served(viaLink)).toContain('Edited through the link');
    } finally {
      await viaLink.close();
    }
  });
});
