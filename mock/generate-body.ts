import { withoutCycles } from '../contracts/compile-validators.ts';
import type { SchemaObject } from '../openapi/index.ts';

/**
 * A body generated from a schema (json-schema-faker), the same for the same seed. The generator is imported on
 * first use, into a chunk of its own, so that the mock's start-up does not grow by it.
 */
export async function generateBody(schema: SchemaObject, seed: number): Promise<unknown> {
  const { JSONSchemaFaker } = await import('json-schema-faker');
  // The options are the module's own state; generation is synchronous, so no other request runs in between.
  JSONSchemaFaker.option({
    random: seededRandom(seed),
    alwaysFakeOptionals: true,
    useExamplesValue: false,
    useDefaultValue: false,
    failOnInvalidTypes: true,
  });
  return JSONSchemaFaker.generate(withoutCycles(schema) as Parameters<typeof JSONSchemaFaker.generate>[0]);
}

/** mulberry32: a small, well-known seeded generator; Math.random cannot be seeded. */
function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
