import { type SchemaObject, withoutCycles } from '../engine/index.ts';
import type { Preferences } from './read-preferences.ts';

export type Generation =
  | { readonly kind: 'example' }
  | { readonly kind: 'generate'; readonly seed: number }
  | { readonly kind: 'unknown'; readonly sentence: string };

const SEED = /^\d{1,9}$/;

/** Whether a generated body was asked for, and with which seed (a new one, shown in X-Mock-Source, when none). */
export function chooseGeneration(preferences: Preferences): Generation {
  const { dynamic, seed } = preferences;
  if (dynamic !== undefined && dynamic !== 'true' && dynamic !== 'false') {
    return { kind: 'unknown', sentence: `dynamic must be true or false; got "${dynamic}".` };
  }
  if (seed !== undefined && !SEED.test(seed)) {
    return { kind: 'unknown', sentence: `seed must be a whole number from 0 to 999999999; got "${seed}".` };
  }
  if (seed !== undefined && dynamic !== 'true') {
    return { kind: 'unknown', sentence: 'seed goes with dynamic=true: it seeds a generated body.' };
  }
  if (dynamic !== 'true') return { kind: 'example' };
  return { kind: 'generate', seed: seed === undefined ? Math.floor(Math.random() * 1e9) : Number(seed) };
}

/**
 * A body generated from a schema (json-schema-faker), the same for the same seed, then given the values every
 * documented example of the answer agrees on (a 200's `"success": true`): a generated answer a frontend can
 * believe. The generator is imported on first use, into a chunk of its own, so that the mock's start-up does not
 * grow by it.
 */
export async function generateBody(schema: SchemaObject, seed: number, examples: readonly unknown[] = []): Promise<unknown> {
  return withAgreedValues(await generate(schema, seed), examples);
}

async function generate(schema: SchemaObject, seed: number): Promise<unknown> {
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

/** The generated object with each top-level property that every example gives one same value set to it. */
function withAgreedValues(generated: unknown, examples: readonly unknown[]): unknown {
  const objects = examples.filter((example): example is Record<string, unknown> => isRecord(example));
  const [first] = objects;
  if (!isRecord(generated) || !first || objects.length !== examples.length) return generated;
  const agreed = Object.entries(first).filter(([key, value]) =>
    objects.every((example) => key in example && JSON.stringify(example[key]) === JSON.stringify(value)),
  );
  return { ...generated, ...Object.fromEntries(agreed) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
