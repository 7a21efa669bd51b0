// The package's MSW handlers (dist/msw.mjs, as a frontend imports them) inside a page in Debian's headless
// Chromium, with MSW's service worker and no mock server running: the page's fetch() calls to the document's
// server get their answers from the handlers, in the browser.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationContract } from '../engine/index.ts';
import { loadContract } from '../openapi/index.ts';
import { launchChromium } from '../testing/launch-chromium.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

let pageServer: Server;
let browser: Browser;
let page: Page;
let pageOrigin: string;
let operation: OperationContract;
let apiBase: string;

/** The app's script: MSW's worker with the kit's handlers, at the document's servers and at the page itself. */
async function appScript(): Promise<string> {
  const bundle = await build({
    stdin: {
      contents: `
        import { setupWorker } from 'msw/browser';
        import { flashbackHandlers } from './dist/msw.mjs';
        const worker = setupWorker(...flashbackHandlers({ baseUrl: [...window.API_BASES] }));
        await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
        window.workerReady = true;`,
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]?.text ?? '';
}

beforeAll(async () => {
  const contract = await loadContract();
  operation = contract.operations[0] as OperationContract;
  apiBase = contract.servers[0] ?? '';
  const files: Record<string, { type: string; body: string }> = {
    '/app.js': { type: 'text/javascript', body: await appScript() },
    '/mockServiceWorker.js': {
      type: 'text/javascript',
      body: readFileSync(`${ROOT}node_modules/msw/lib/mockServiceWorker.js`, 'utf8'),
    },
    '/hello.txt': { type: 'text/plain', body: 'served by the page server' },
  };
  pageServer = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page.invalid').pathname;
    const file = files[path];
    if (file) return void response.writeHead(200, { 'content-type': file.type }).end(file.body);
    if (path !== '/') return void response.writeHead(404).end();
    // "/" is the page's own origin, as the app would write it.
    const bases = JSON.stringify([...contract.servers, '/']);
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><title>MFA settings</title><script>window.API_BASES = ${bases};</script><script type="module" src="/app.js"></script>`,
      );
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${pageOrigin}/`);
  await page.waitForFunction(() => (window as { workerReady?: boolean }).workerReady === true, undefined, { timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
});

interface PageAnswer {
  status: number;
  body: string;
  source: string | null;
  contentType: string | null;
}

/** Calls fetch() in the page, as app code would. */
function fetchInPage(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<PageAnswer> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      return {
        status: response.status,
        body: await response.text(),
        source: response.headers.get('x-mock-source'),
        contentType: response.headers.get('content-type'),
      };
    },
    { url, init },
  );
}

function enable(base: string, query: string, body: unknown): Promise<PageAnswer> {
  return fetchInPage(`${base}${operation.path}${query}`, {
    method: operation.method.toUpperCase(),
    headers: { Authorization: 'Bearer browser-token', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the MSW handlers in a browser, with no mock server', () => {
  it("answer each mfaType with that type's own 200 example, from the service worker", async () => {
    const examples = operation.responses.flatMap((response) => response.examples).filter((e) => e.requestMatch && e.status < 300);
    expect(examples.length).toBeGreaterThan(1);
    for (const example of examples) {
      const answer = await enable(apiBase, '', example.requestMatch);
      expect(answer.status, example.name).toBe(example.status);
      expect(JSON.parse(answer.body)).toEqual(example.value);
      expect(answer.source).toContain(example.pointer);
      expect(answer.contentType).toBe(example.contentType);
    }
  });

  it('answer a 500 scenario chosen by query parameter', async () => {
    const failure = operation.responses.find((response) => response.status >= 500)?.examples[0];
    expect(failure).toBeDefined();
    const answer = await enable(apiBase, `?__example=${failure?.name}`, operation.requestBody?.examples[0]?.value);
    expect(answer.status).toBe(failure?.status);
    expect(JSON.parse(answer.body)).toEqual(failure?.value);
  });

  it("refuse in the gap policy's envelope, and leave the page's own files to its server", async () => {
    const refused = await fetchInPage(`${pageOrigin}${operation.path}`, { method: operation.method.toUpperCase() });
    expect(refused.status).toBe(401);
    expect(refused.source).toContain('#/rules/missing-credentials');
    // The page's origin is one of the bases: its documented path is answered above, its other files are not.
    const file = await fetchInPage(`${pageOrigin}/hello.txt`, { method: 'GET' });
    expect(file).toMatchObject({ status: 200, body: 'served by the page server', source: null });
  });
});
