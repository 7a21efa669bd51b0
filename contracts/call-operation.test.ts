import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RequestPlan } from '../engine/index.ts';
import { closeServer, listenOn } from '../runtime/server-lifecycle.ts';
import { callOperation, MAX_BODY_BYTES, operationUrl } from './call-operation.ts';

describe('operationUrl', () => {
  it.each([
    ['http://127.0.0.1:4010', '/mfa/enable', 'http://127.0.0.1:4010/mfa/enable'],
    ['http://127.0.0.1:4010/', '/mfa/enable', 'http://127.0.0.1:4010/mfa/enable'],
    ['http://127.0.0.1:4010/api', '/mfa/enable', 'http://127.0.0.1:4010/api/mfa/enable'],
    ['http://127.0.0.1:4010/api/', '/mfa/enable', 'http://127.0.0.1:4010/api/mfa/enable'],
    ['http://127.0.0.1:4010/api//', 'mfa/enable', 'http://127.0.0.1:4010/api/mfa/enable'],
    ['http://127.0.0.1:4010/v1/api', '//mfa/enable', 'http://127.0.0.1:4010/v1/api/mfa/enable'],
    ['https://host.example/api?tenant=a', '/mfa/enable', 'https://host.example/api/mfa/enable?tenant=a'],
  ])('joins %s and %s under the base path', (baseUrl, path, url) => {
    expect(operationUrl(baseUrl, path)).toBe(url);
  });
});

/** Runs `use` against a server answering every request with `answer`, started and stopped here. */
async function withServer<T>(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
  use: (url: string) => Promise<T>,
): Promise<T> {
  const server = createServer((request, response) => {
    request.resume();
    request.once('end', () => answer(request, response));
  });
  const url = await listenOn(server, '127.0.0.1', 0);
  try {
    return await use(url);
  } finally {
    await closeServer(server);
  }
}

const PLAN: RequestPlan = { method: 'POST', path: '/mfa/enable', withCredentials: false, security: [], headers: {}, body: '{}' };
const BODY = JSON.stringify({ success: true, message: 'GOOGLE_AUTH enabled' });

describe('callOperation reading a compressed answer', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['x-gzip', gzipSync],
  ] as const)('decodes %s and keeps the header as sent', async (coding, encode) => {
    await withServer(
      (_request, response) =>
        response
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding })
          .end(encode(Buffer.from(BODY))),
      async (url) => {
        const exchange = await callOperation(PLAN, { baseUrl: url, timeoutMs: 10_000 });
        expect(exchange.response).toMatchObject({ status: 200, body: BODY, truncated: false });
        expect(exchange.response?.headers['content-encoding']).toBe(coding);
      },
    );
  });

  it('undoes two codings in the reverse of the order they were applied', async () => {
    await withServer(
      (_request, response) =>
        response.writeHead(200, { 'content-encoding': 'deflate, br' }).end(brotliCompressSync(deflateSync(Buffer.from(BODY)))),
      async (url) => {
        expect((await callOperation(PLAN, { baseUrl: url, timeoutMs: 10_000 })).response?.body).toBe(BODY);
      },
    );
  });

  it('stops at 1 MiB of decoded body, however small the compressed one', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * MAX_BODY_BYTES, 'x'));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES / 8);
    await withServer(
      (_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb),
      async (url) => {
        const response = (await callOperation(PLAN, { baseUrl: url, timeoutMs: 10_000 })).response;
        expect(response?.truncated).toBe(true);
        expect(response?.body.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
      },
    );
  });

  it('says so for a coding it cannot decode, in place of the body', async () => {
    await withServer(
      (_request, response) => response.writeHead(200, { 'content-encoding': 'zstd' }).end('(zstd bytes)'),
      async (url) => {
        expect((await callOperation(PLAN, { baseUrl: url, timeoutMs: 10_000 })).response?.body).toBe(
          '(a body in the zstd coding, which the kit cannot decode to check)',
        );
      },
    );
  });
});
