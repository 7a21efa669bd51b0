import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract, GapPolicy } from '../engine/index.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import type { StartedProcess } from '../testing/start-process.ts';
import { fuzzMock } from './fuzz-mock.ts';
import { spawnMock } from './spawn-mock.ts';

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

async function validRequestStillWorks(): Promise<void> {
  const response = await request(`${baseUrl}${operation()?.path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer after-fuzz', 'content-type': 'application/json' },
    body: JSON.stringify(operation()?.requestBody?.examples[0]?.value),
  });
  await response.body.dump();
  expect(response.statusCode).toBe(200);
  expect(() => process.kill(mock.pid, 0)).not.toThrow();
}

/** Sends raw bytes on a socket and resolves with whatever came back when the server closes or `waitMs` passes. */
function raw(
  chunks: string[],
  options: {
    gapMs?: number /** Destroy the socket once this many chunks are written. */;
    abortAfter?: number;
    waitMs?: number;
  } = {},
): Promise<string> {
  const { port, hostname } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (data) => {
      received += data.toString();
    });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.once('connect', async () => {
      for (const [index, chunk] of chunks.entries()) {
        socket.write(chunk);
        if (options.abortAfter === index + 1) {
          socket.destroy();
          return;
        }
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
      setTimeout(() => socket.end(), options.waitMs ?? 2000);
    });
  });
}

describe('the mock under random and malformed requests', () => {
  it('answers 500 random requests in the policy shape or as documented, and keeps serving', async () => {
    const report = await fuzzMock({ baseUrl, contract, policy, runs: 500, seed: 20261128 });
    expect(report.failure).toBeUndefined();
    expect(report.runs).toBe(500);
    // The generator reaches the interesting answers, not only one kind of refusal.
    expect(Object.keys(report.statuses).length).toBeGreaterThan(5);
    await validRequestStillWorks();
  });

  it('survives slow and aborted uploads', async () => {
    const body = JSON.stringify(operation()?.requestBody?.examples[0]?.value);
    const head = `POST ${operation()?.path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer slow\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const slow = await raw([head, ...body.split('')], { gapMs: 5 });
    expect(slow).toMatch(/^HTTP\/1\.1 200 /);
    await raw([head, body.slice(0, 3)], { abortAfter: 2 });
    const truncated = await raw([head.replace(`Content-Length: ${body.length}`, 'Content-Length: 100000'), body], {
      waitMs: 300,
    });
    expect(truncated).not.toMatch(/^HTTP\/1\.1 5/);
    await raw(['GARBAGE / NOT-HTTP\r\n\r\n'], { waitMs: 300 });
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
