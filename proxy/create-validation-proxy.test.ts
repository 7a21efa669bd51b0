import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractReport, checkImplementation } from '../contracts/check-implementation.ts';
import { BROKEN_SERVERS, type BrokenKind, startBrokenServer } from '../contracts/fixtures/broken-servers.ts';
import { type EndlessServer, startEndlessServer } from '../contracts/fixtures/endless-server.ts';
import { type RunningFixture, startReferenceServer, withFixture } from '../contracts/fixtures/reference-server.ts';
import { testSettings } from '../contracts/fixtures/test-settings.ts';
import { type LoadReport, runLoad } from '../contracts/run-load.ts';
import { loadContract } from '../openapi/index.ts';
import { closeServer, listenOn } from '../runtime/server-lifecycle.ts';
import { cliArgs } from '../testing/cli.ts';
import { rssMb } from '../testing/process-memory.ts';
import { startProcess } from '../testing/start-process.ts';
import type { NotJudged, ValidationProxy } from './create-validation-proxy.ts';
import { describeFinding } from './describe-finding.ts';
import type { ProxyFinding } from './judge-observed.ts';
import { startProxy } from './start-proxy.ts';
import { parseUpstream } from './upstream-target.ts';

const TOKEN = 'tok-PROXYCHECK-5d1e9a07';
let path: string;
let validBody: string;

beforeAll(async () => {
  const operation = (await loadContract()).operations[0];
  path = operation?.path ?? '/';
  validBody = JSON.stringify(operation?.requestBody?.examples[0]?.value);
});

/** Starts a proxy in front of `upstream`, runs `use`, and always closes the proxy; findings are collected. */
async function withProxy<T>(
  upstream: string,
  use: (url: string, findings: ProxyFinding[], settled: () => Promise<void>) => Promise<T>,
  timeoutMs = 5000,
): Promise<T> {
  const findings: ProxyFinding[] = [];
  const { url, proxy } = await startProxy(
    { upstream: parseUpstream(upstream), host: '127.0.0.1', port: 0, timeoutMs, strict: false },
    (finding) => findings.push(finding),
  );
  try {
    return await use(url, findings, () => proxy.settled());
  } finally {
    await proxy.close();
  }
}

/** Starts a proxy with its bounds set by the test; the test closes it. Findings and unjudged exchanges are collected. */
async function startTestProxy(
  upstream: string,
  bounds: { timeoutMs?: number; maxInFlight?: number } = {},
): Promise<{ url: string; proxy: ValidationProxy; findings: ProxyFinding[]; notJudged: NotJudged[] }> {
  const findings: ProxyFinding[] = [];
  const notJudged: NotJudged[] = [];
  const { url, proxy } = await startProxy(
    {
      upstream: parseUpstream(upstream),
      host: '127.0.0.1',
      port: 0,
      timeoutMs: bounds.timeoutMs ?? 10_000,
      strict: false,
      ...(bounds.maxInFlight ? { maxInFlight: bounds.maxInFlight } : {}),
    },
    (finding) => findings.push(finding),
    (exchange) => notJudged.push(exchange),
  );
  return { url, proxy, findings, notJudged };
}

/** Polls until `condition` holds; throws after 20 s (an upper bound for a loaded machine, not a timing assertion). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`Still waiting after 20 s for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A plain server for the streaming tests; each test says how it answers. */
async function withUpstream<T>(
  handler: (request: IncomingMessage, response: import('node:http').ServerResponse) => void,
  use: (url: string) => Promise<T>,
): Promise<T> {
  const server: Server = createServer(handler);
  const url = await listenOn(server, '127.0.0.1', 0);
  try {
    return await use(url);
  } finally {
    await closeServer(server);
  }
}

async function post(base: string, headers: Record<string, string>, body: string) {
  const response = await request(`${base}${path}`, { method: 'POST', headers, body });
  return { status: response.statusCode, type: response.headers['content-type'], body: await response.body.text() };
}

/** Sends raw bytes and resolves with everything the server sent back before it closed. */
function raw(url: string, text: string): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let received = '';
    socket.on('data', (data) => {
      received += data.toString();
      if (/\r\n\r\n[\s\S]*\}$/.test(received)) socket.end();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
  });
}

const codes = (findings: readonly ProxyFinding[]): string[] =>
  [...new Set(findings.flatMap((f) => (f.kind === 'violation' ? [f.violation.code] : [])))].sort();

describe('the validation proxy', () => {
  it('passes the answer through unchanged and names the backend bug in the suite’s words', async () => {
    await withFixture(startBrokenServer('success-wrong-type'), async (upstream) => {
      await withProxy(upstream.url, async (url, findings, settled) => {
        const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
        expect(await post(url, headers, validBody)).toEqual(await post(upstream.url, headers, validBody));
        await settled();
        expect(findings.map(describeFinding)).toEqual([
          `✘ BODY_SCHEMA_MISMATCH (body_schema) POST ${path} → 200: The 200 body at /success must be boolean; got "yes".`,
        ]);
      });
    });
  });

  it('calls a 2xx to a request without credentials AUTH_NOT_ENFORCED, and the request the client’s mistake', async () => {
    await withFixture(startBrokenServer('no-auth-check'), async (upstream) => {
      await withProxy(upstream.url, async (url, findings, settled) => {
        expect((await post(url, { 'content-type': 'application/json' }, validBody)).status).toBe(200);
        await settled();
        expect(findings.map(describeFinding)).toEqual([
          `client mistake: POST ${path}: it has no Authorization header (at /headers/authorization) (gap policy rule missing-credentials)`,
          expect.stringMatching(new RegExp(`^✘ AUTH_NOT_ENFORCED \\(auth_enforced\\) POST ${path} → 200: `)),
        ]);
      });
    });
  });

  it('never prints the token, nor mangles text around a one-letter token', async () => {
    await withFixture(startBrokenServer('echoes-long'), async (upstream) => {
      await withProxy(upstream.url, async (url, findings, settled) => {
        await post(
          url,
          { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          JSON.stringify({ mfaType: TOKEN }),
        );
        await post(url, { authorization: 'Bearer t', 'content-type': 'text/plain' }, validBody);
        await settled();
        const text = findings.map(describeFinding).join('\n');
        expect(text).not.toContain(TOKEN.slice(0, 8));
        expect(text).toContain('its Content-Type is "text/plain"; it takes application/json (at /headers/content-type)');
      });
    });
  });
});

describe('where the proxy forwards', () => {
  let upstream: RunningFixture;
  let elsewhere: RunningFixture;
  beforeAll(async () => {
    [upstream, elsewhere] = await Promise.all([startReferenceServer(), startReferenceServer()]);
  });
  afterAll(async () => {
    await Promise.all([upstream?.close(), elsewhere?.close()]);
  });

  it('refuses "//host:port/…", absolute-form and CONNECT targets, and never reaches another server', async () => {
    await withProxy(upstream.url, async (url, findings, settled) => {
      const other = new URL(elsewhere.url).host;
      const head = `Host: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${validBody.length}\r\nConnection: close\r\n\r\n${validBody}`;
      for (const line of [
        `POST //${other}/steal HTTP/1.1`,
        `POST http://${other}${path} HTTP/1.1`,
        `CONNECT ${other} HTTP/1.1`,
      ]) {
        const answer = await raw(url, `${line}\r\n${head}`);
        expect(answer, line).toMatch(/^HTTP\/1\.1 400 /);
        expect(answer, line).toMatch(/\{"success":false,"error":".+"\}$/);
      }
      await settled();
      expect(elsewhere.received).toEqual([]);
      expect(upstream.received).toEqual([]);
      expect(findings.every((f) => f.kind === 'client' && f.rule === 'malformed-request')).toBe(true);
    });
  });

  it('resolves ".." within the base path and refuses one that climbs out of it, "%2e%2e" spelt or not', async () => {
    await withProxy(`${upstream.url}/api/`, async (url, findings, settled) => {
      const head = `Host: x\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`;
      const inside = await raw(url, `POST /x/%2E%2e/y/..${path} HTTP/1.1\r\n${head}`);
      expect(inside).toMatch(/^HTTP\/1\.1 \d{3} /);
      expect(upstream.received.slice(-1)[0]?.path).toBe(`/api${path}`);
      const before = upstream.received.length;
      for (const target of ['/../mfa/enable', '/x/%2e%2e/%2E%2E/mfa/enable', '/x/..%2f..%2fmfa/enable']) {
        const answer = await raw(url, `POST ${target} HTTP/1.1\r\n${head}`);
        expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
        expect(answer, target).toMatch(/\{"success":false,"error":"The request path .+"\}$/);
      }
      await settled();
      expect(upstream.received.length).toBe(before);
      expect(findings.filter((f) => f.kind === 'client' && f.rule === 'malformed-request')).toHaveLength(3);
    });
  });

  it('joins each path to the upstream’s base path, query and all', async () => {
    await withProxy(`${upstream.url}/api/`, async (url) => {
      await post(url, { authorization: `Bearer ${TOKEN}` }, '');
      const [seen] = upstream.received.slice(-1);
      expect(seen?.path).toBe(`/api${path}`);
    });
  });
});

describe('streaming through the proxy', () => {
  it('passes a 100 MB upload and an endless answer with its RSS growing by at most 64 MB', async () => {
    const chunk = Buffer.alloc(64 * 1024, 97);
    let uploaded = 0;
    await withUpstream(
      (incoming, response) => {
        if (incoming.method === 'PUT') {
          incoming.on('data', (data: Buffer) => {
            uploaded += data.length;
          });
          incoming.on('end', () => response.end('{}'));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        const pump = (): void => {
          while (!response.destroyed && response.write(chunk)) {}
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      },
      async (upstreamUrl) => {
        // The proxy in a process of its own, as a backend team runs it, so that its memory is its alone.
        const proxy = await startProcess({
          command: process.execPath,
          args: cliArgs('proxy', '--upstream', upstreamUrl, '--port', '0'),
          readyLine: /listening on (http:\/\/\S+), forwarding to /,
          deadlineMs: 30_000,
        });
        try {
          const url = proxy.ready[1] ?? '';
          // Measured from after 8 MiB each way: V8 sizes its heap and the allocator its pools once, on the first
          // large bodies; what must stay bounded is the growth with the length of a stream.
          const download = async (bytes: number): Promise<number> => {
            const answer = await request(`${url}/endless`);
            let received = 0;
            for await (const data of answer.body) {
              received += (data as Buffer).length;
              if (received % (8 * 1024 * 1024) < (data as Buffer).length) sample();
              if (received > bytes) break;
            }
            answer.body.destroy();
            return received;
          };
          let peak = 0;
          const sample = (): void => {
            peak = Math.max(peak, rssMb(proxy.pid));
          };
          await (await request(`${url}/warm-up`, { method: 'PUT', body: Buffer.alloc(8 * 1024 * 1024) })).body.text();
          await download(8 * 1024 * 1024);
          uploaded = 0;
          const before = rssMb(proxy.pid);
          peak = before;
          async function* upload() {
            for (let i = 0; i < 1600; i++) {
              if (i % 100 === 0) sample();
              yield chunk; // 100 MiB in all
            }
          }
          const put = await request(`${url}/upload`, { method: 'PUT', body: Readable.from(upload()) });
          await put.body.text();
          const downloaded = await download(100 * 1024 * 1024);
          sample();
          expect(uploaded).toBe(1600 * chunk.length);
          expect(downloaded).toBeGreaterThan(100 * 1024 * 1024);
          expect(peak - before, `RSS ${before.toFixed(0)} MB at rest, ${peak.toFixed(0)} MB at its peak`).toBeLessThanOrEqual(64);
        } finally {
          await proxy.stop();
        }
      },
    );
  });

  it('hands each byte of a slow answer to the client before the upstream sends the next', async () => {
    let clientGot: (() => void) | undefined;
    await withUpstream(
      async (_incoming, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        for (const byte of 'slow') {
          const received = new Promise<void>((resolve) => {
            clientGot = resolve;
          });
          response.write(byte);
          await received; // the upstream waits for the client: a proxy that buffered would never deliver
        }
        response.end();
      },
      async (upstreamUrl) => {
        await withProxy(upstreamUrl, async (url) => {
          const answer = await request(`${url}/slow`);
          let text = '';
          for await (const data of answer.body) {
            text += String(data);
            clientGot?.();
          }
          expect(text).toBe('slow');
        });
      },
    );
  });

  it('answers 504 in the error envelope when the upstream hangs past the timeout, and reports TIMEOUT', async () => {
    await withUpstream(
      () => undefined, // never answers
      async (upstreamUrl) => {
        await withProxy(
          upstreamUrl,
          async (url, findings, settled) => {
            const answer = await post(url, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, validBody);
            expect(answer.status).toBe(504);
            expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: expect.stringContaining('within 200 ms') });
            await settled();
            expect(codes(findings)).toEqual(['TIMEOUT']);
          },
          200,
        );
      },
    );
  });

  it('decodes a gzip answer for the checks only: the client gets the bytes, the checks find nothing', async () => {
    const body = gzipSync(JSON.stringify({ success: true, message: 'enabled' }));
    await withUpstream(
      (_incoming, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(body);
      },
      async (upstreamUrl) => {
        await withProxy(upstreamUrl, async (url, findings, settled) => {
          const answer = await request(`${url}${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'accept-encoding': 'gzip' },
            body: validBody,
          });
          expect(Buffer.from(await answer.body.arrayBuffer())).toEqual(body);
          await settled();
          expect(findings).toEqual([]);
        });
      },
    );
  });
});

// Breaks the contract only while requests overlap: both tools see it under the same load (--load's engine).
const UNDER_LOAD: readonly BrokenKind[] = ['breaks-under-concurrency'];

// In-process servers only, no child process: the cases overlap their waits.
describe.concurrent('one exchange, one verdict', () => {
  const verdict = (report: ContractReport): string[] =>
    [
      ...new Set(
        report.cases.flatMap((c) =>
          c.checks.filter((check) => check.state !== 'passed').flatMap((check) => check.violations.map((v) => v.code)),
        ),
      ),
    ].sort();

  for (const kind of (Object.keys(BROKEN_SERVERS) as BrokenKind[]).filter((k) => !UNDER_LOAD.includes(k))) {
    it(`gives ${kind} the codes the suite gives it`, async () => {
      await withFixture(startBrokenServer(kind), async (upstream) => {
        // For the slow and hanging backends the proxy's timeout is the suite's own, so that it is a TIMEOUT for
        // both, and short: the verdict is the same, and nobody waits ten seconds for it.
        const timeoutMs = kind === 'slow' || kind === 'hangs-after-first-success' ? 400 : 10_000;
        const direct = verdict(await checkImplementation(testSettings(upstream.url, TOKEN, { timeoutMs })));
        const proxied = await withProxy(
          upstream.url,
          async (url, findings, settled) => {
            await checkImplementation(testSettings(url, TOKEN, { timeoutMs: 20_000 }));
            await settled();
            return codes(findings);
          },
          timeoutMs,
        );
        expect(proxied).toEqual(direct);
      });
    });
  }

  for (const kind of UNDER_LOAD) {
    it(`gives ${kind} the codes the suite gives it under load`, async () => {
      const loaded = (report: LoadReport): string[] => Object.keys(report.violations).sort();
      await withFixture(startBrokenServer(kind), async (upstream) => {
        // Fifty requests ten at a time: they overlap in every round, and each overlap breaks the contract.
        const direct = loaded(await runLoad(testSettings(upstream.url, TOKEN), 50, 10));
        const proxied = await withProxy(upstream.url, async (url, findings, settled) => {
          await runLoad(testSettings(url, TOKEN), 50, 10);
          await settled();
          return codes(findings);
        });
        expect(direct).toEqual(['STATUS_UNDOCUMENTED']);
        expect(proxied).toEqual(direct);
      });
    });
  }
});

describe('a verdict whatever the client does', () => {
  const validHeaders = () => ({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });

  it('judges an answer too large to check even when the client stops reading at the first chunk', async () => {
    const huge = JSON.stringify({ success: true, message: 'x'.repeat(2 * 1024 * 1024) });
    await withUpstream(
      (incoming, response) => {
        incoming.resume();
        response.writeHead(200, { 'content-type': 'application/json' }).end(huge);
      },
      async (upstreamUrl) => {
        await withProxy(upstreamUrl, async (url, findings, settled) => {
          const answer = await request(`${url}${path}`, { method: 'POST', headers: validHeaders(), body: validBody });
          for await (const _chunk of answer.body) break; // leaves after the first chunk, as a browser navigating away
          await settled();
          expect(codes(findings)).toEqual(['BODY_TOO_LARGE']);
        });
      },
    );
  });

  it('reads on and judges the rest of an answer after its client left', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await withUpstream(
      (incoming, response) => {
        incoming.resume();
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"success":"yes",');
        void released.then(() => response.end('"message":"enabled"}'));
      },
      async (upstreamUrl) => {
        await withProxy(upstreamUrl, async (url, findings, settled) => {
          const answer = await request(`${url}${path}`, { method: 'POST', headers: validHeaders(), body: validBody });
          for await (const _chunk of answer.body) break;
          release();
          await settled();
          expect(findings.map(describeFinding)).toEqual([
            `✘ BODY_SCHEMA_MISMATCH (body_schema) POST ${path} → 200: The 200 body at /success must be boolean; got "yes".`,
          ]);
        });
      },
    );
  });

  it('bounds the whole exchange by --timeout: a dripping answer is cut and reported as TIMEOUT', async () => {
    await withUpstream(
      (incoming, response) => {
        incoming.resume();
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{');
        const drip = setInterval(() => response.write(' '), 20); // the fixture's behaviour, not a wait in the test
        response.once('close', () => clearInterval(drip));
      },
      async (upstreamUrl) => {
        await withProxy(
          upstreamUrl,
          async (url, findings, settled) => {
            const answer = await request(`${url}${path}`, { method: 'POST', headers: validHeaders(), body: validBody });
            await expect(answer.body.text()).rejects.toThrow();
            await settled();
            expect(codes(findings)).toEqual(['TIMEOUT']);
            expect(findings.map(describeFinding)).toEqual([
              `✘ TIMEOUT (status_documented) POST ${path} → no answer: POST ${upstreamUrl}${path} got an answer from ${upstreamUrl} that was not over within 300 ms.`,
            ]);
          },
          300,
        );
      },
    );
  });

  it('decodes gzip, deflate and br request bodies before judging them', async () => {
    await withUpstream(
      (incoming, response) => {
        incoming.resume();
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"message":"enabled"}');
      },
      async (upstreamUrl) => {
        const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
        for (const [coding, encode] of Object.entries(encoders)) {
          await withProxy(upstreamUrl, async (url, findings, settled) => {
            const send = async (body: string): Promise<void> => {
              const answer = await request(`${url}${path}`, {
                method: 'POST',
                headers: { ...validHeaders(), 'content-encoding': coding },
                body: encode(body),
              });
              await answer.body.dump();
            };
            await send(validBody);
            await settled();
            expect(findings, `a valid ${coding} body`).toEqual([]);
            await send(JSON.stringify({ mfaType: 42 }));
            await settled();
            expect(
              findings.filter((f) => f.kind === 'client').map((f) => (f.kind === 'client' ? f.problem : '')),
              `an invalid ${coding} body`,
            ).toEqual([expect.stringContaining('mfaType')]);
          });
        }
      },
    );
  });
});

describe('the proxy’s bounds', () => {
  let endless: EndlessServer;
  beforeAll(async () => {
    endless = await startEndlessServer({ chunkBytes: 16 * 1024, everyMs: 20 });
  });
  afterAll(async () => {
    await endless?.close();
  });

  it('answers 503 in the error envelope past --max-in-flight, and records the refusal as not judged', async () => {
    const { url, proxy, notJudged } = await startTestProxy(endless.url, { maxInFlight: 1 });
    try {
      const first = await request(`${url}/endless`);
      const second = await request(`${url}/endless`);
      expect(second.statusCode).toBe(503);
      expect(JSON.parse(await second.body.text())).toEqual({
        success: false,
        error: 'The validation proxy has 1 exchanges in flight, its bound (--max-in-flight); retry once some are over.',
      });
      expect(notJudged.map((n) => n.reason)).toEqual(['busy']);
      first.body.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('stops with downloads in flight: stops accepting, cuts them after the grace period, records them as not judged', async () => {
    const { url, proxy, notJudged } = await startTestProxy(endless.url);
    const downloads = await Promise.all([request(`${url}/one`), request(`${url}/two`)]);
    const reads = downloads.map(async (answer) => {
      try {
        for await (const _chunk of answer.body) {
        }
        return 'ended';
      } catch {
        return 'cut';
      }
    });
    await until(() => endless.streaming() >= 2, 'both downloads to stream');
    await proxy.stop(50);
    expect(await Promise.all(reads)).toEqual(['cut', 'cut']);
    expect(notJudged.map((n) => n.because)).toEqual([
      'the proxy stopped before the exchange was over',
      'the proxy stopped before the exchange was over',
    ]);
    await expect(request(url)).rejects.toThrow(/ECONNREFUSED/);
    await until(() => endless.streaming() === 0, 'the upstream to see both downloads end');
  });

  it('records an exchange whose client left mid-upload as not judged, and ends the upstream request', async () => {
    let upstreamSaw = 0;
    await withUpstream(
      (incoming) => {
        upstreamSaw += 1;
        incoming.resume(); // never answers: the request never completes
      },
      async (upstreamUrl) => {
        const { url, proxy, findings, notJudged } = await startTestProxy(upstreamUrl);
        try {
          const { port } = new URL(url);
          const socket = connect(Number(port), '127.0.0.1', () =>
            socket.write(`PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${'a'.repeat(70_000)}`),
          );
          await until(() => upstreamSaw === 1, 'the upload to reach the upstream');
          socket.destroy();
          await proxy.settled();
          expect(notJudged).toEqual([
            { method: 'PUT', path: '/upload', reason: 'client-left', because: 'the client left before its request was complete' },
          ]);
          expect(findings).toEqual([]);
        } finally {
          await proxy.close();
        }
      },
    );
  });

  it('answers 502 in one clean sentence when the upstream is down', async () => {
    const gone = createServer();
    const goneUrl = await listenOn(gone, '127.0.0.1', 0);
    await closeServer(gone);
    await withProxy(goneUrl, async (url, findings, settled) => {
      const answer = await post(url, validHeadersFor(), validBody);
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body).error).toMatch(
        new RegExp(
          `^The validation proxy got no connection to ${goneUrl.replace(/\./g, '\\.')} \\(connect ECONNREFUSED [^)]+\\)\\.$`,
        ),
      );
      await settled();
      expect(findings.map(describeFinding)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^✘ CONNECTION_FAILED \\(status_documented\\) POST ${path} → no answer: POST ${goneUrl}${path} got no connection to ${goneUrl} \\(connect ECONNREFUSED [^)]+\\)\\.$`,
          ),
        ),
      ]);
    });
  });
});

function validHeadersFor(): Record<string, string> {
  return { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
}
