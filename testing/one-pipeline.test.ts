// One pipeline, one verdict: the mock server, the MSW handlers, the reference implementation (the suite's reading
// of a request) and the validation proxy each read a request through the engine's judgeRequest, so each gives
// the same gap-policy rule (or none) to the same request. The requests come from the Prism differential's
// generator, which reads the documents on its own (testing/corpus/read-operations.ts), not through the engine.
import { setupServer } from 'msw/node';
import { type Dispatcher, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReference, send, startFixture } from '../contracts/fixtures/reference-server.ts';
import type { GapRuleId } from '../engine/index.ts';
import { mockContext } from '../mock/create-mock-server.ts';
import { type RunningMock, startMock } from '../mock/start-mock.ts';
import { createHandlers } from '../msw/create-handlers.ts';
import { loadContract, policyFor } from '../openapi/index.ts';
import type { ProxyFinding } from '../proxy/judge-observed.ts';
import { startProxy } from '../proxy/start-proxy.ts';
import { parseUpstream } from '../proxy/upstream-target.ts';
import { corpusDocuments } from './corpus/corpus.ts';
import { type CorpusRequest, generateRequests } from './corpus/generate-requests.ts';
import { readOperations } from './corpus/read-operations.ts';

/**
 * How many requests, on how many documents: `npm test` sends 63 to two (the kit's own and the engine fixture);
 * `npm run test:differential` (a CI step of its own) sets ONE_PIPELINE_SEEDS and sends about
 * 490 per seed to six: 2,940 with six seeds.
 */
const SEEDS = Number(process.env.ONE_PIPELINE_SEEDS ?? 0);
const FULL = SEEDS > 0;
const BUDGET = FULL ? 600 : 40;
const DOCUMENTS = FULL
  ? ['flashback', 'flashback-draft', 'features', 'petstore-3.1', 'security', 'parameters-common']
  : ['flashback', 'features', 'security'];

/** The rule an answer names in X-Mock-Source (…#/rules/<rule>), or none for a documented answer. */
function ruleOfSource(source: string | undefined): GapRuleId | 'none' {
  return (/#\/rules\/([a-z-]+)(?: \(contract version [^)]*\))?$/.exec(source ?? '')?.[1] as GapRuleId | undefined) ?? 'none';
}

async function send1(base: string, sent: CorpusRequest): Promise<Record<string, string | string[] | undefined>> {
  const response = await request(`${base}${sent.target}`, {
    method: sent.method as Dispatcher.HttpMethod,
    headers: sent.headers,
    body: sent.body ?? null,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  await response.body.dump();
  return response.headers;
}

describe.each(DOCUMENTS)('one pipeline on %s', (name) => {
  const document = corpusDocuments().find((candidate) => candidate.name === name);
  let mock: RunningMock;
  let reference: Awaited<ReturnType<typeof startFixture>>;
  let msw: ReturnType<typeof setupServer>;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  const findings: ProxyFinding[] = [];
  let requests: CorpusRequest[];
  const referenceRules = new Map<string, string>();

  beforeAll(async () => {
    if (!document) throw new Error(`${name} is not in the corpus`);
    const answer = await createReference(document.path);
    reference = await startFixture((received, response) => {
      const decided = answer(received);
      referenceRules.set(`${received.method} ${received.path}${received.query} ${received.body}`, decided.refusedBy ?? 'none');
      send(response, decided);
    });
    mock = await startMock({ host: '127.0.0.1', port: 0, watch: false, documentPath: document.path });
    proxy = await startProxy(
      {
        upstream: parseUpstream(reference.url),
        host: '127.0.0.1',
        port: 0,
        timeoutMs: 10_000,
        strict: false,
        documentPath: document.path,
      },
      (finding) => findings.push(finding),
    );
    const contract = await loadContract(document.path);
    msw = setupServer(...createHandlers(mockContext(contract, policyFor(document.path)), { baseUrl: 'http://msw.test' }));
    msw.listen({ onUnhandledRequest: 'error' });
    // Preferences are the mock's alone (a scenario asked for by name or status): the others do not read them.
    const operations = await readOperations(document.path);
    requests = Array.from({ length: Math.max(1, SEEDS) }, (_, index) =>
      generateRequests(operations, { seed: 20261130 + index, documentName: name, budget: BUDGET }),
    )
      .flat()
      .filter((candidate) => candidate.headers.prefer === undefined);
  });

  afterAll(async () => {
    msw?.close();
    await proxy?.proxy.close();
    await mock?.close();
    await reference?.close();
  });

  it('gives each request the same rule through the mock, the MSW handlers, the reference implementation and the proxy', async () => {
    expect(requests.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const sent of requests) {
      const viaMock = ruleOfSource(String((await send1(mock.url, sent))['x-mock-source']));
      const viaMsw = ruleOfSource(
        (
          await fetch(`http://msw.test${sent.target}`, {
            method: sent.method,
            headers: sent.headers,
            ...(sent.body === undefined ? {} : { body: sent.body }),
          })
        ).headers.get('x-mock-source') ?? undefined,
      );
      // Through the proxy to the reference: the reference records its rule, the proxy reports the client's mistake.
      const before = findings.length;
      await send1(proxy.url, sent);
      await proxy.proxy.settled();
      const [path = '', query = ''] = sent.target.split(/(?=\?)/);
      const viaReference = referenceRules.get(`${sent.method} ${path}${query} ${sent.body ?? ''}`);
      const viaProxy = findings.slice(before).find((finding) => finding.kind === 'client')?.rule ?? 'none';
      const what = `${sent.situation}: ${sent.method} ${sent.target}`;
      expect(viaMsw, what).toBe(viaMock);
      expect(viaReference, what).toBe(viaMock);
      expect(viaProxy, what).toBe(viaMock);
      seen.add(viaMock);
    }
    // Agreement on refusals as well as on answers: the requests reach both.
    expect(seen.has('none')).toBe(true);
    expect([...seen].some((rule) => rule !== 'none')).toBe(true);
  }, 120_000);
});
