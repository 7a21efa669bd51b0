import { execFile } from 'node:child_process';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Contract,
  containsSubset,
  type GapPolicy,
  type GapRuleId,
  type OperationContract,
  validatorCache,
} from '../engine/index.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import { cliArgs } from '../testing/cli.ts';
import { spawnMock } from '../testing/spawn-mock.ts';
import type { StartedProcess } from '../testing/start-process.ts';
import { mockCommand } from './start-mock.ts';

// The real mock, as `npm run mock` starts it, on a free port; every expectation is read from the document and the policy.
let mock: StartedProcess;
let baseUrl: string;
let contract: Contract;
let policy: GapPolicy;
let operation: OperationContract;
let url: string;

beforeAll(async () => {
  [contract, policy] = await Promise.all([loadContract(), loadGapPolicy()]);
  const first = contract.operations[0];
  if (!first) throw new Error('The document has no operation to mock.');
  operation = first;
  mock = await spawnMock();
  baseUrl = mock.ready[1] ?? '';
  url = `${baseUrl}${operation.path}`;
});

afterAll(async () => {
  await mock?.stop();
});

const enumProperties = (): { name: string; values: unknown[] }[] => {
  const properties = (operation.requestBody?.schema.properties ?? {}) as Record<string, { enum?: unknown[] }>;
  return Object.entries(properties).flatMap(([name, schema]) => (schema.enum ? [{ name, values: schema.enum }] : []));
};

const validBody = (): Record<string, unknown> => operation.requestBody?.examples[0]?.value as Record<string, unknown>;

async function call(
  options: { body?: string; headers?: Record<string, string>; query?: string; method?: string; path?: string } = {},
) {
  const response = await request(`${baseUrl}${options.path ?? operation.path}${options.query ?? ''}`, {
    method: (options.method ?? operation.method.toUpperCase()) as 'POST',
    headers: options.headers ?? { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: (): unknown => JSON.parse(text) };
}

function expectPolicyError(answer: Awaited<ReturnType<typeof call>>, rule: GapRuleId, mentions: string[] = []): void {
  expect(answer.status).toBe(policy.rules[rule].mock.status);
  expect(answer.headers['x-mock-source']).toBe(`openapi/gap-policy.yaml#/rules/${rule} (contract version ${contract.version})`);
  for (const [name, value] of Object.entries(policy.rules[rule].mock.headers))
    expect(answer.headers[name.toLowerCase()]).toBe(value);
  const body = answer.json() as Record<string, unknown>;
  const { flagProperty = '', messageProperty = '' } = policy.errorEnvelope ?? {};
  expect(body[flagProperty]).toBe(false);
  const sentence = body[messageProperty];
  expect(typeof sentence).toBe('string');
  for (const word of mentions) expect(sentence).toContain(word);
}

describe('npm run mock', () => {
  it('prints its URL and a command to try once it answers', () => {
    expect(mock.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(mock.output()).toMatch(/try: curl -X POST 'http:\/\/127\.0\.0\.1:\d+\S+' -H 'Authorization: Bearer/);
  });

  it('answers each enum value with the 200 example that belongs to it', async () => {
    const properties = enumProperties();
    expect(properties.length).toBeGreaterThan(0);
    const successExamples = operation.responses.filter((r) => r.status === 200).flatMap((r) => r.examples);
    for (const { name, values } of properties) {
      for (const value of values) {
        const body = { ...validBody(), [name]: value };
        const answer = await call({ body: JSON.stringify(body) });
        const expected = successExamples.find((example) => example.requestMatch && containsSubset(body, example.requestMatch));
        expect(expected, `a 200 example with x-request-match for ${name}=${String(value)}`).toBeDefined();
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toBe('application/json');
        expect(answer.json()).toEqual(expected?.value);
        expect(answer.headers['x-mock-source']).toBe(
          `openapi/flashback.yaml#${expected?.pointer} (contract version ${contract.version})`,
        );
      }
    }
  });

  it('serves every named example by Prefer: example=NAME and by ?__example=NAME, with its own status', async () => {
    const examples = operation.responses.flatMap((r) => r.examples);
    expect(examples.length).toBeGreaterThan(1);
    for (const example of examples) {
      const byHeader = await call({
        body: JSON.stringify(validBody()),
        headers: { authorization: 'Bearer t', 'content-type': 'application/json', prefer: `example=${example.name}` },
      });
      const byQuery = await call({ body: JSON.stringify(validBody()), query: `?__example=${example.name}` });
      for (const answer of [byHeader, byQuery]) {
        expect(answer.status).toBe(example.status);
        expect(answer.json()).toEqual(example.value);
      }
    }
  });

  it('answers Prefer: code=500 with a documented 500 example', async () => {
    const answer = await call({
      body: JSON.stringify(validBody()),
      headers: { authorization: 'Bearer t', 'content-type': 'application/json', prefer: 'code=500' },
    });
    const documented = operation.responses.filter((r) => r.status === 500).flatMap((r) => r.examples.map((e) => e.value));
    expect(answer.status).toBe(500);
    expect(documented).toContainEqual(answer.json());
  });

  it('refuses an unknown scenario and lists the ones it has', async () => {
    const answer = await call({ body: JSON.stringify(validBody()), query: '?__example=noSuchScenario' });
    const names = operation.responses.flatMap((r) => r.examples.map((e) => e.name));
    expectPolicyError(answer, 'unknown-scenario', ['noSuchScenario', ...names]);
  });

  it('refuses a misspelt __ query parameter rather than ignore it, naming the ones it reads', async () => {
    const answer = await call({ body: JSON.stringify(validBody()), query: '?__exmaple=internalError' });
    expectPolicyError(answer, 'unknown-scenario', ['__exmaple', '__example', '__code', '__delay', '__fault']);
  });

  it('refuses JSON nested thousands of levels deep in the error envelope, rather than fail with a 500', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const answer = await call({ body: `{"mfaType":${JSON.stringify(Object.values(validBody())[0])},"x":${deep}}` });
    expectPolicyError(answer, 'invalid-body', ['256 levels']);
  });

  it('answers CONNECT and an unknown Expect in the error envelope, not with a closed connection or a bare 417', async () => {
    const { port, hostname } = new URL(baseUrl);
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = createConnection(Number(port), hostname, () => socket.write(text));
        let received = '';
        socket.on('data', (data) => {
          received += data.toString();
        });
        socket.on('close', () => resolve(received));
      });
    const connect = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(connect).toMatch(new RegExp(`^HTTP/1\\.1 ${policy.rules['malformed-request'].mock.status} `));
    expect(connect).toMatch(
      /\r\n\r\n\{"success":false,"error":"The mock opens no tunnels; CONNECT is not a method it answers\."\}$/,
    );
    const body = JSON.stringify(validBody());
    const expectFoo = await raw(
      `${operation.method.toUpperCase()} ${operation.path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-token\r\n` +
        `Content-Type: application/json\r\nExpect: foo\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(expectFoo).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('generates a body from the status schema on dynamic=true, valid against it and the same for the same seed', async () => {
    const validatorFor = validatorCache();
    const bodies: string[] = [];
    for (const seed of [1, 2, 3, 1]) {
      const answer = await call({ body: JSON.stringify(validBody()), query: `?__dynamic=true&__seed=${seed}` });
      expect(answer.status).toBe(200);
      const response = operation.responses.find((r) => r.status === 200);
      expect(answer.headers['x-mock-source']).toBe(
        `generated from openapi/flashback.yaml#${response?.schemaPointer} with seed ${seed} (contract version ${contract.version})`,
      );
      expect(validatorFor(response?.schema ?? {})(answer.json())).toEqual([]);
      bodies.push(answer.text);
    }
    expect(bodies[3]).toBe(bodies[0]);
    expect(new Set(bodies).size).toBeGreaterThan(1);
    const byHeader = await call({
      body: JSON.stringify(validBody()),
      headers: {
        authorization: 'Bearer test-token',
        'content-type': 'application/json',
        prefer: 'dynamic=true, seed=2, code=500',
      },
    });
    const failure = operation.responses.find((r) => r.status === 500);
    expect(byHeader.status).toBe(500);
    expect(validatorFor(failure?.schema ?? {})(byHeader.json())).toEqual([]);
    expectPolicyError(await call({ body: JSON.stringify(validBody()), query: '?__dynamic=yes' }), 'unknown-scenario', [
      'dynamic',
    ]);
    expectPolicyError(await call({ body: JSON.stringify(validBody()), query: '?__seed=4' }), 'unknown-scenario', [
      'dynamic=true',
    ]);
    expectPolicyError(
      await call({ body: JSON.stringify(validBody()), query: '?__dynamic=true&__seed=abc' }),
      'unknown-scenario',
      ['seed must be a whole number'],
    );
  });

  it('refuses a request without credentials with 401 and a Bearer challenge', async () => {
    const answer = await call({ body: JSON.stringify(validBody()), headers: { 'content-type': 'application/json' } });
    expectPolicyError(answer, 'missing-credentials', ['Authorization']);
  });

  it('refuses an empty bearer token and another scheme', async () => {
    for (const authorization of ['Bearer ', 'Basic dXNlcjpwYXNz']) {
      const answer = await call({
        body: JSON.stringify(validBody()),
        headers: { authorization, 'content-type': 'application/json' },
      });
      expectPolicyError(answer, 'invalid-credentials', ['Bearer']);
    }
  });

  it('accepts the bearer scheme in any letter case, as RFC 7235 section 2.1 allows', async () => {
    const answer = await call({
      body: JSON.stringify(validBody()),
      headers: { authorization: 'bEaReR t', 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(200);
  });

  it('names the offending field for a missing, mistyped or unknown value', async () => {
    for (const { name, values } of enumProperties()) {
      const { [name]: _dropped, ...without } = validBody();
      for (const body of [without, { ...validBody(), [name]: 42 }, { ...validBody(), [name]: `NOT_${String(values[0])}` }]) {
        expectPolicyError(await call({ body: JSON.stringify(body) }), 'invalid-body', [name]);
      }
    }
  });

  it('refuses malformed JSON and a missing body', async () => {
    expectPolicyError(await call({ body: '{"unterminated' }), 'malformed-json', ['JSON']);
    expectPolicyError(await call({}), 'missing-body', ['body']);
  });

  it('refuses a wrong content type with 415', async () => {
    const answer = await call({ body: 'x', headers: { authorization: 'Bearer t', 'content-type': 'text/plain' } });
    expectPolicyError(answer, 'unsupported-media-type', ['text/plain', operation.requestBody?.contentType ?? '']);
  });

  it('refuses a body over the policy limit with 413', async () => {
    const answer = await call({ body: `"${'a'.repeat(policy.maxRequestBodyBytes)}"` });
    expectPolicyError(answer, 'body-too-large', [String(policy.maxRequestBodyBytes)]);
  });

  it('answers an unknown path with 404 and a wrong method with 405 and Allow', async () => {
    expectPolicyError(await call({ path: '/no/such/path', body: '{}' }), 'unknown-path', ['/no/such/path']);
    const wrongMethod = await call({ method: 'GET' });
    expectPolicyError(wrongMethod, 'method-not-allowed', [operation.method.toUpperCase()]);
    expect(wrongMethod.headers.allow).toBe(operation.method.toUpperCase());
  });

  it('answers a CORS preflight for Authorization and Content-Type from another origin', async () => {
    const response = await request(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:9',
        'access-control-request-method': operation.method.toUpperCase(),
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    await response.body.dump();
    expect(response.statusCode).toBe(204);
    expect(response.headers['x-mock-source']).toBe(`CORS preflight (contract version ${contract.version})`);
    expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:9');
    expect(response.headers['access-control-allow-methods']).toContain(operation.method.toUpperCase());
    expect(
      String(response.headers['access-control-allow-headers'])
        .split(',')
        .map((h) => h.trim()),
    ).toEqual(expect.arrayContaining(['authorization', 'content-type']));
  });

  it('holds the answer for a requested delay', async () => {
    const started = performance.now();
    const answer = await call({ body: JSON.stringify(validBody()), query: '?__delay=300' });
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('refuses a delay over the cap and an unknown fault', async () => {
    expectPolicyError(await call({ body: JSON.stringify(validBody()), query: '?__delay=999999' }), 'unknown-scenario', ['delay']);
    expectPolicyError(await call({ body: JSON.stringify(validBody()), query: '?__fault=meteor' }), 'unknown-scenario', [
      'reset',
      'hang',
    ]);
  });

  it('drops the connection, hangs, or cuts the JSON short when a fault is asked for', async () => {
    await expect(call({ body: JSON.stringify(validBody()), query: '?__fault=reset' })).rejects.toThrow(
      /other side closed|ECONNRESET|socket/i,
    );
    await expect(call({ body: JSON.stringify(validBody()), query: '?__fault=truncated-json' })).rejects.toThrow(
      /closed|aborted|premature|socket/i,
    );
    const hung = request(`${url}?__fault=hang`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify(validBody()),
      headersTimeout: 500,
    });
    await expect(hung).rejects.toThrow(/timeout/i);
  });

  it('serves an index page that lists every scenario', async () => {
    const page = await call({ method: 'GET', path: '/', headers: {} });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    for (const example of operation.responses.flatMap((r) => r.examples)) {
      expect(page.text).toContain(`?__example=${example.name}`);
      expect(page.text).toContain(`Prefer: example=${example.name}`);
    }
    // The refusals a frontend must handle, each under its gap-policy rule.
    for (const rule of [
      'missing-credentials',
      'invalid-credentials',
      'missing-body',
      'malformed-json',
      'invalid-body',
      'unsupported-media-type',
    ] as const) {
      expect(page.text).toContain(`<code>${rule}</code></td><td>${policy.rules[rule].mock.status}</td>`);
    }
  });
});

// Each test its own process, one at a time: child processes never run side by side in a test (a loaded
// machine would make their timing, not the code, decide the outcome).
describe('stopping the mock', () => {
  it('exits 0 on SIGTERM', async () => {
    const second = await spawnMock(['--quiet']);
    expect(await second.stop()).toBe(0);
    expect(second.output()).toContain('stopped on SIGTERM');
  });

  it('refuses a bad port with a sentence and exit code 2', async () => {
    const result = await promisify(execFile)(process.execPath, cliArgs('mock', '--port', 'eighty'), { timeout: 60_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('✘ The port must be a whole number from 0 to 65535; got "eighty".\nRun with --help for usage.\n');
    // Any other usage error takes the same path: in this process, the lines the CLI writes to stderr.
    expect(await mockCommand(['--bogus'], {})).toEqual({
      exitCode: 2,
      lines: ["✘ Unknown option '--bogus'.", 'Run with --help for usage.'],
    });
  });
});
