import { describe, expect, it } from 'vitest';
import type { EngineRequest, EngineResult, PrismEngine } from '../prism/engine.ts';
import { memoizeAnswers } from './memoize-answers.ts';

function countingEngine(): PrismEngine & { calls: number } {
  const engine = {
    calls: 0,
    answer: async (request: EngineRequest): Promise<EngineResult> => {
      engine.calls += 1;
      return { kind: 'answer', status: 200, headers: {}, body: { echo: request.body, call: engine.calls } };
    },
  };
  return engine;
}

const request = (overrides: Partial<EngineRequest> = {}): EngineRequest => ({
  method: 'POST',
  path: '/p',
  query: {},
  headers: { authorization: 'Bearer a', 'content-type': 'application/json', 'user-agent': 'x' },
  body: { v: 1 },
  ...overrides,
});

describe('memoizeAnswers', () => {
  it('asks the engine once for requests that differ only in transport headers', async () => {
    const engine = countingEngine();
    const memo = memoizeAnswers(engine);
    const first = await memo.answer(request(), {});
    const second = await memo.answer(request({ headers: { ...request().headers, 'user-agent': 'y', host: 'h' } }), {});
    expect(second).toEqual(first);
    expect(engine.calls).toBe(1);
  });

  it('asks again when the body, a meaningful header, the query or the choice differs', async () => {
    const engine = countingEngine();
    const memo = memoizeAnswers(engine);
    await memo.answer(request(), {});
    await memo.answer(request({ body: { v: 2 } }), {});
    await memo.answer(request({ body: '{"v":1}' }), {});
    await memo.answer(request({ headers: { 'content-type': 'application/json' } }), {});
    await memo.answer(request({ query: { a: '1' } }), {});
    await memo.answer(request(), { exampleKey: 'other' });
    expect(engine.calls).toBe(6);
  });

  it('forgets the least recently used answer beyond its capacity', async () => {
    const engine = countingEngine();
    const memo = memoizeAnswers(engine, 2);
    await memo.answer(request({ body: 1 }), {});
    await memo.answer(request({ body: 2 }), {});
    await memo.answer(request({ body: 1 }), {}); // 1 is now the most recent
    await memo.answer(request({ body: 3 }), {}); // evicts 2
    expect(engine.calls).toBe(3);
    await memo.answer(request({ body: 1 }), {});
    expect(engine.calls).toBe(3);
    await memo.answer(request({ body: 2 }), {});
    expect(engine.calls).toBe(4);
  });

  it('never keys a large body', async () => {
    const engine = countingEngine();
    const memo = memoizeAnswers(engine);
    const big = 'x'.repeat(10_000);
    await memo.answer(request({ body: big }), {});
    await memo.answer(request({ body: big }), {});
    expect(engine.calls).toBe(2);
  });
});
