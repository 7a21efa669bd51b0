// Any valid base URL works for the handlers: IPv4 and IPv6 literals, names, ports, paths with characters that
// MSW's path syntax gives a meaning (":", "(", "+", "*"), and the app's other handlers stay untouched.
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { mockContext } from '../mock/create-mock-server.ts';
import { DOCUMENT_PATH, loadContract, policyFor } from '../openapi/index.ts';
import { createHandlers } from './create-handlers.ts';

const host = fc.constantFrom('127.0.0.1', '[::1]', '[2001:db8::7]', 'localhost', 'api.test', 'xn--bcher-kva.test');
const port = fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined });
// Path segments as a URL keeps them: characters special to MSW's path syntax, and percent-escapes.
const segment = fc.stringMatching(/^[a-z0-9:()+*!$,;=@~.-]{1,8}$/).filter((text) => text !== '.' && text !== '..');
const baseUrl = fc
  .tuple(fc.constantFrom('http', 'https'), host, port, fc.array(segment, { maxLength: 3 }))
  .map(
    ([scheme, name, number, segments]) => `${scheme}://${name}${number === undefined ? '' : `:${number}`}/${segments.join('/')}`,
  );

describe('the MSW handlers under any base URL', () => {
  it('answer the documented request there, crash on none, and leave the app’s other handlers alone', async () => {
    const contract = await loadContract();
    const context = mockContext(contract, policyFor(DOCUMENT_PATH));
    const [operation] = contract.operations;
    const body = JSON.stringify(operation?.requestBody?.examples[0]?.value);
    await fc.assert(
      fc.asyncProperty(baseUrl, async (base) => {
        const server = setupServer(
          ...createHandlers(context, { baseUrl: base }),
          http.get('http://app.test/ping', () => HttpResponse.text('pong')),
        );
        server.listen({ onUnhandledRequest: 'error' });
        try {
          const target = `${new URL(base).href.replace(/\/?$/, '')}${operation?.path}`;
          const answer = await fetch(target, {
            method: operation?.method.toUpperCase() ?? 'POST',
            headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
            body,
          });
          expect(answer.status, target).toBe(200);
          expect(answer.headers.get('x-mock-source'), target).toContain('#/paths/');
          expect(await (await fetch('http://app.test/ping')).text()).toBe('pong');
        } finally {
          server.close();
        }
      }),
      { numRuns: 60, seed: 20261130 },
    );
  });

  it('says in one sentence that a base URL is not a URL', async () => {
    const contract = await loadContract();
    const context = mockContext(contract, policyFor(DOCUMENT_PATH));
    expect(() => createHandlers(context, { baseUrl: 'http://[::1' })).toThrow(
      'baseUrl "http://[::1" is not an absolute URL; pass one such as "http://localhost:8080/api".',
    );
  });
});
