import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract, GapPolicy } from '../engine/index.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import { fuzzMock } from '../testing/fuzz-mock.ts';
import { spawnMock } from '../testing/spawn-mock.ts';
import type { StartedProcess } from '../testing/start-process.ts';

let mock: StartedProcess;
let baseUrl: string;
let contract: Contract;
let policy: GapPolicy;

beforeAll(async () => {
  [contract, policy, mock] = await Promise.all([loadContract(), Promise.resolve(loadGapPolicy()), spawnMock(['--quiet'])]);
  baseUrl = mock.ready[1] ?? '';
});

afterAll(async () => {
  await mock?.stop();
});

const operation = () => contract.operations[0];

/** Sends the document's first request example the usual way; checks the mock answers 200 and still runs. */
async function validRequestStillWorks(): Promise<string> {
  const response = await request(`${baseUrl}${operation()?.path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer after-fuzz', 'content-type': 'application/json' },
    body: JSON.stringify(operation()?.requestBody?.examples[0]?.value),
  });
  const text = await response.body.text();
  expect(response.statusCode).toBe(200);
  expect(() => process.kill(mock.pid, 0)).not.toThrow();
  return text;
}

/**
 * Sends raw bytes on a socket, each chunk flushed before the next one is written, then waits for the mock to
 * close the connection (each request here asks for Connection: close, or is one the mock refuses and closes)
 * and resolves with all it sent. `end` half-closes the client's side after the last chunk; `abort` destroys
 * the socket after it and resolves with whatever had come. A mock that never answers fails by the test's
 * timeout: nothing here waits a fixed time.
 */
function raw(chunks: readonly string[], after: 'wait' | 'end' | 'abort' = 'wait'): Promise<string> {
  const { port, hostname } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    // Each write its own segment: a chunk is not held back to be sent with the next (Nagle's algorithm).
    socket.setNoDelay(true);
    let received = '';
    socket.on('data', (data) => {
      received += data.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.once('connect', async () => {
      for (const chunk of chunks) {
        await new Promise<void>((written) => socket.write(chunk, () => written()));
        // One turn of the event loop between chunks, so that they leave one by one, as a slow client's would.
        await new Promise((turn) => setImmediate(turn));
      }
      if (after === 'abort') socket.destroy();
      else if (after === 'end') socket.end();
    });
  });
}

/** The status line and the body of a raw HTTP/1.1 answer. */
function parseAnswer(answer: string): { status: number; source: string; body: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n', 2);
  return {
    status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]),
    source: /^x-mock-source: (.*)$/im.exec(head)?.[1] ?? '',
    body,
  };
}

/**
 * How many random requests, all from one seed so that CI sees the same ones. `npm test` sends 200: they reach every
 * status that 500 reach (200, 400, 401, 404, 405, 413, 415). `npm run test:differential` (a CI step of its own)
 * sends 2,000, which also reach the 422 of a body the schema refuses.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);

describe('the mock under random and malformed requests', () => {
  it(`answers ${FUZZ_RUNS} random requests in the policy shape or as documented, and keeps serving`, async () => {
    const report = await fuzzMock({ baseUrl, contract, policy, runs: FUZZ_RUNS, seed: 20261128 });
    expect(report.failure).toBeUndefined();
    expect(report.runs).toBe(FUZZ_RUNS);
    // The generator reaches the interesting answers, not only one kind of refusal.
    expect(Object.keys(report.statuses).length).toBeGreaterThan(5);
    await validRequestStillWorks();
  });

  it('answers a slow upload as a fast one, and survives an aborted and a truncated one', async () => {
    const expected = await validRequestStillWorks();
    const body = JSON.stringify(operation()?.requestBody?.examples[0]?.value);
    const head = `POST ${operation()?.path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer slow\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    // One byte at a time: the same answer as the request sent at once.
    const slow = parseAnswer(await raw([head, ...body.split('')]));
    expect(slow).toMatchObject({ status: 200, body: expected });
    // The client goes away mid-body: nothing can be answered, and nothing was answered early.
    expect(await raw([head, body.slice(0, 3)], 'abort')).toBe('');
    await validRequestStillWorks();
    // The client ends its side with the body 100,000 bytes short: a request that is not whole HTTP, refused by
    // the malformed-request rule of the policy, in its envelope.
    const malformed = policy.rules['malformed-request'];
    const truncated = parseAnswer(
      await raw([head.replace(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 100_000}`), body], 'end'),
    );
    expect(truncated).toMatchObject({ status: malformed.mock.status, source: expect.stringContaining(malformed.pointer) });
    expect(JSON.parse(truncated.body)).toMatchObject({ [policy.errorEnvelope?.flagProperty ?? 'success']: false });
    // Not HTTP at all: the same rule.
    const garbage = parseAnswer(await raw(['GARBAGE / NOT-HTTP\r\n\r\n']));
    expect(garbage).toMatchObject({ status: malformed.mock.status, source: expect.stringContaining(malformed.pointer) });
    expect(JSON.parse(garbage.body)).toMatchObject({ [policy.errorEnvelope?.flagProperty ?? 'success']: false });
    await validRequestStillWorks();
  });

  it('answers a body at the size limit as usual and one over it with 413', async () => {
    const send = async (size: number) => {
      const response = await request(`${baseUrl}${operation()?.path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: `"${'a'.repeat(size - 2)}"`,
      });
      await response.body.dump();
      return response.statusCode;
    };
    expect(await send(policy.maxRequestBodyBytes)).toBe(policy.rules['invalid-body'].mock.status);
    expect(await send(policy.maxRequestBodyBytes + 1)).toBe(policy.rules['body-too-large'].mock.status);
    await validRequestStillWorks();
  });
});
