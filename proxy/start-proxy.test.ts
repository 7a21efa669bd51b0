import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokenServer } from '../contracts/fixtures/broken-servers.ts';
import type { RunningFixture } from '../contracts/fixtures/reference-server.ts';
import { loadContract } from '../openapi/index.ts';
import { type StartedProcess, startProcess } from '../scripts/start-process.ts';

const TOKEN = 'tok-PROXYCHECK-5d1e';
let upstream: RunningFixture;
let proxy: StartedProcess;
let proxyUrl: string;
let path: string;
let validBody: string;

beforeAll(async () => {
  const contract = await loadContract();
  const operation = contract.operations[0];
  path = operation?.path ?? '/';
  validBody = JSON.stringify(operation?.requestBody?.examples[0]?.value);
  upstream = await startBrokenServer('success-wrong-type');
  proxy = await startProcess({
    command: process.execPath,
    args: ['--import', 'tsx', 'proxy/start-proxy.ts', '--upstream', upstream.url, '--port', '0'],
    readyLine: /listening on (http:\/\/\S+),/,
    deadlineMs: 30_000,
  });
  proxyUrl = proxy.ready[1] ?? '';
});

afterAll(async () => {
  await proxy?.stop();
  await upstream?.close();
});

async function post(base: string, headers: Record<string, string>, body: string) {
  const response = await request(`${base}${path}`, { method: 'POST', headers, body });
  return { status: response.statusCode, type: response.headers['content-type'], body: await response.body.text() };
}

/** Waits until the proxy has printed a line matching `pattern`; the proxy validates after it answers. */
async function printed(pattern: RegExp, deadlineMs = 10_000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const line = proxy
      .output()
      .split('\n')
      .find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`The proxy printed no line matching ${pattern}:\n${proxy.output()}`);
}

describe('npm run proxy', () => {
  it('passes the answer through unchanged and names the field that breaks the contract', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const direct = await post(upstream.url, headers, validBody);
    const proxied = await post(proxyUrl, headers, validBody);
    expect(proxied).toEqual(direct);
    const line = await printed(/response body \/success/);
    expect(line).toBe(
      `[proxy] POST ${path} → 200: response body /success: Response body property success must be boolean; got "yes".`,
    );
  });

  it('reports a request that breaks the contract, without complaining about the status the gap policy allows', async () => {
    const answer = await post(proxyUrl, { 'content-type': 'application/json' }, validBody);
    expect(answer.status).toBe(401);
    expect(await printed(/→ 401: request Authorization header/)).toContain('Invalid security scheme used');
    expect(proxy.output()).not.toMatch(/→ 401: response: Unable to match/);
  });

  it('never prints the token, even where the request carried it', async () => {
    const answer = await post(
      proxyUrl,
      { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      JSON.stringify({ mfaType: TOKEN }),
    );
    expect(answer.status).toBe(422);
    const line = await printed(/→ 422: request body \/mfaType/);
    expect(line).toContain('got "$TOKEN"');
    expect(proxy.output()).not.toContain(TOKEN);
  });
});
