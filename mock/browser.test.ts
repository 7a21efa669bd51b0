// The mock as a frontend developer meets it: a page on another origin, in Debian's headless Chromium, calling
// the mock with fetch and a bearer token, so that every call goes through a real CORS preflight.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsSubset, type OperationContract } from '../engine/index.ts';
import { loadContract } from '../openapi/index.ts';
import { launchChromium } from '../testing/launch-chromium.ts';
import { spawnMock } from '../testing/spawn-mock.ts';
import type { StartedProcess } from '../testing/start-process.ts';

let mock: StartedProcess;
let pageServer: Server;
let browser: Browser;
let page: Page;
let mockUrl: string;
let operation: OperationContract;

beforeAll(async () => {
  const contract = await loadContract();
  operation = contract.operations[0] as OperationContract;
  mock = await spawnMock();
  mockUrl = mock.ready[1] ?? '';
  pageServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>MFA settings</title><p>app</p>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
  await mock?.stop();
});

interface BrowserAnswer {
  ok: boolean;
  status?: number;
  body?: unknown;
  source?: string | null;
  error?: string;
  elapsedMs: number;
}

/** Calls the mock from the page, as app code would. */
function callFromPage(query: string, body: unknown): Promise<BrowserAnswer> {
  return page.evaluate(
    async ({ url, body }) => {
      const started = performance.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { Authorization: 'Bearer browser-token', 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json: unknown = await response.json();
        return {
          ok: true,
          status: response.status,
          body: json,
          source: response.headers.get('x-mock-source'),
          elapsedMs: performance.now() - started,
        };
      } catch (error) {
        return { ok: false, error: String(error), elapsedMs: performance.now() - started };
      }
    },
    { url: `${mockUrl}${operation.path}${query}`, body },
  );
}

const validBody = (): Record<string, unknown> => operation.requestBody?.examples[0]?.value as Record<string, unknown>;

describe('the index page', () => {
  it('fits a 1280 px window with no horizontal scroll, snippets included', async () => {
    const index = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await index.goto(`${mockUrl}/`);
      const widths = await index.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        window: window.innerWidth,
        snippets: Array.from(document.querySelectorAll('pre'), (pre) => pre.scrollWidth - pre.clientWidth),
      }));
      expect(widths.window).toBe(1280);
      expect(widths.page).toBeLessThanOrEqual(1280);
      expect(widths.snippets.length).toBeGreaterThan(0);
      expect(widths.snippets.every((overflow) => overflow <= 0)).toBe(true);
    } finally {
      await index.close();
    }
  });
});

describe('the mock from a browser on another origin', () => {
  it("answers each mfaType with that type's own 200 example", async () => {
    const properties = (operation.requestBody?.schema.properties ?? {}) as Record<string, { enum?: unknown[] }>;
    const successExamples = operation.responses.filter((r) => r.status === 200).flatMap((r) => r.examples);
    let calls = 0;
    for (const [name, schema] of Object.entries(properties)) {
      for (const value of schema.enum ?? []) {
        const body = { ...validBody(), [name]: value };
        const answer = await callFromPage('', body);
        const expected = successExamples.find((e) => e.requestMatch && containsSubset(body, e.requestMatch));
        expect(answer).toMatchObject({
          ok: true,
          status: 200,
          body: expected?.value,
          source: expect.stringContaining(expected?.pointer ?? '?'),
        });
        calls += 1;
      }
    }
    expect(calls).toBeGreaterThan(1);
    expect(mock.output()).toMatch(/OPTIONS \/\S+ → 204 from CORS preflight/);
  });

  it('serves a 500 scenario chosen by query parameter, with its status', async () => {
    const failure = operation.responses.find((r) => r.status === 500)?.examples.at(-1);
    expect(failure).toBeDefined();
    const answer = await callFromPage(`?__example=${failure?.name}`, validBody());
    expect(answer).toMatchObject({ ok: true, status: 500, body: failure?.value });
  });

  it('holds an answer for the asked delay', async () => {
    const answer = await callFromPage('?__delay=400', validBody());
    expect(answer.status).toBe(200);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(400);
  });

  it('makes fetch fail on a dropped connection and on a cut-off body', async () => {
    const reset = await callFromPage('?__fault=reset', validBody());
    expect(reset.ok).toBe(false);
    expect(reset.error).toMatch(/TypeError: Failed to fetch/);
    const truncated = await callFromPage('?__fault=truncated-json', validBody());
    expect(truncated.ok).toBe(false);
  });

  it('lets the page read the error envelope of a refused request', async () => {
    const answer = await page.evaluate(async (url) => {
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return {
        status: response.status,
        body: (await response.json()) as unknown,
        challenge: response.headers.get('www-authenticate'),
      };
    }, `${mockUrl}${operation.path}`);
    expect(answer).toEqual({
      status: 401,
      body: { success: false, error: expect.stringContaining('Authorization') },
      challenge: 'Bearer',
    });
  });
});
