// A small example suite, run through the handlers with coverage on: the report lists what it exercised and what
// it missed, as JSON and as Markdown.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockContext } from '../mock/create-mock-server.ts';
import { DOCUMENT_PATH, loadContract, policyFor } from '../openapi/index.ts';
import { ContractCoverage } from './contract-coverage.ts';
import { createHandlers } from './create-handlers.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('contract coverage', () => {
  it('lists the statuses, scenarios and refusals a suite met and those it missed, and its breaches', async () => {
    const contract = await loadContract();
    const coverage = new ContractCoverage(contract);
    server.use(
      ...createHandlers(mockContext(contract, policyFor(DOCUMENT_PATH)), {
        baseUrl: 'http://cov.test',
        coverage,
        expectRefusals: ['missing-credentials'],
      }),
    );
    const operation = contract.operations[0];
    const valid = operation?.requestBody?.examples[0]?.value;
    const call = (headers: Record<string, string>, body: unknown) =>
      fetch(`http://cov.test${operation?.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    // The example suite: one success, the app's own 401 path on purpose, and one request the contract refuses.
    expect((await call({ authorization: 'Bearer t' }, valid)).status).toBe(200);
    expect((await call({}, valid)).status).toBe(401);
    expect((await call({ authorization: 'Bearer t' }, { mfaType: 'NOT_A_METHOD' })).status).toBe(422);

    const [report] = coverage.report().operations;
    const success = operation?.responses
      .find((response) => response.status === 200)
      ?.examples.find((e) => e.requestMatch && JSON.stringify(e.requestMatch) === JSON.stringify(valid));
    expect(report).toEqual({
      operation: 'POST /mfa/enable',
      statuses: { '200': 1 },
      statusesMissed: ['500'],
      scenarios: { [success?.name ?? '']: 1 },
      scenariosMissed: operation?.responses
        .flatMap((r) => r.examples.map((e) => e.name))
        .filter((name) => name !== success?.name),
      refusals: { 'missing-credentials': 1, 'invalid-body': 1 },
      breaches: 1,
    });
    const markdown = coverage.markdown().split('\n');
    expect(markdown[0]).toBe(
      '| operation | statuses answered | never answered | scenarios never served | refusals met | breaches |',
    );
    expect(markdown[2]).toMatch(
      /^\| `POST \/mfa\/enable` \| `200` \| `500` \| .*`internalError`.* \| `missing-credentials`, `invalid-body` \| 1 \|$/,
    );
  });
});
