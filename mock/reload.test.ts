import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

async function served(): Promise<string> {
  const operation = mock.contract.operations[0];
  const response = await request(`${mock.url}${operation?.path}?__example=${example.name}`, {
    method: 'POST',
    headers: { authorization: 'Bearer reload', 'content-type': 'application/json' },
    body: JSON.stringify(operation?.requestBody?.examples[0]?.value),
  });
  return response.body.text();
}

/** Waits until the mock reports a reload line matching `pattern` after the first `seen` lines. */
async function reported(pattern: RegExp, seen: number): Promise<string> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const line = reloads.slice(seen).find((candidate) => pattern.test(candidate));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The mock reported no line matching ${pattern}: ${reloads.join('; ')}`);
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
});
