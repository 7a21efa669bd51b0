import type { Server } from 'node:http';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokenServer } from '../contracts/fixtures/broken-servers.ts';
import type { RunningFixture } from '../contracts/fixtures/reference-server.ts';
import { DOCUMENT_PATH, loadContract, loadGapPolicy } from '../openapi/index.ts';
import { closeServer, listenOn } from '../runtime/server-lifecycle.ts';
import { createValidationProxy } from './create-validation-proxy.ts';
import { createExchangeValidator } from './validate-exchange.ts';

const TOKEN = 'tok-PROXYCHECK-5d1e';
let upstream: RunningFixture;
let proxy: Server;
let proxyUrl: string;
const printedLines: string[] = [];
let path: string;
let validBody: string;

beforeAll(async () => {
  const contract = await loadContract();
  const operation = contract.operations[0];
  path = operation?.path ?? '/';
  validBody = JSON.stringify(operation?.requestBody?.examples[0]?.value);
  upstream = await startBrokenServer('success-wrong-type');
  const policy = loadGapPolicy();
  proxy = createValidationProxy({
    upstream: upstream.url,
    policy,
    validate: await createExchangeValidator(DOCUMENT_PATH, policy),
    report: (line) => printedLines.push(`[proxy] ${line}`),
  });
  proxyUrl = await listenOn(proxy, '127.0.0.1', 0);
});

afterAll(async () => {
  if (proxy) await closeServer(proxy);
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
    const line = printedLines.find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`The proxy printed no line matching ${pattern}:\n${printedLines.join('\n')}`);
}

describe('the validation proxy', () => {
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
    expect(printedLines.join('\n')).not.toMatch(/→ 401: response: Unable to match/);
  });

  it('never prints the token, even where the request carried it', async () => {
    const answer = await post(
      proxyUrl,
      { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      JSON.stringify({ mfaType: TOKEN }),
    );
    expect(answer.status).toBe(422);
    const line = await printed(/→ 422: request body \/mfaType/);
    expect(line).toContain('got "$CONTRACT_TOKEN"');
    expect(printedLines.join('\n')).not.toContain(TOKEN);
  });
});
