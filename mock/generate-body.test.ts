import { describe, expect, it } from 'vitest';
import { validatorCache } from '../engine/index.ts';
import { loadContract } from '../openapi/index.ts';
import { generateBody } from './generate-body.ts';

describe('generateBody', () => {
  it('gives a generated answer the values its documented examples agree on, and keeps it valid', async () => {
    const operation = (await loadContract()).operations[0];
    const success = operation?.responses.find((response) => response.status >= 200 && response.status < 300);
    expect(success).toBeDefined();
    if (!success) return;
    const examples = success.examples.map((example) => example.value as Record<string, unknown>);
    const agreed = Object.entries(examples[0] ?? {}).filter(([key, value]) =>
      examples.every((example) => JSON.stringify(example[key]) === JSON.stringify(value)),
    );
    expect(agreed.length).toBeGreaterThan(0);
    for (const seed of [0, 1, 2, 3, 4]) {
      const body = await generateBody(success.schema, seed, examples);
      expect(validatorCache()(success.schema)(body)).toEqual([]);
      expect(body).toMatchObject(Object.fromEntries(agreed));
    }
  });

  it('is the same for the same seed', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    expect(await generateBody(schema, 7)).toEqual(await generateBody(schema, 7));
  });
});
