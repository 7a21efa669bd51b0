import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { fitsOpenApiSchema } from './check-openapi-schema.ts';
import { loadContract } from './load-contract.ts';
import { DOCUMENT_PATH } from './locations.ts';

const examples = dirname(createRequire(import.meta.url).resolve('@readme/oas-examples/package.json'));
const folder = mkdtempSync(join(tmpdir(), 'openapi-schema-'));

/** A copy of a document with one edit, in a file of its own. */
function edited(path: string, name: string, edit: (text: string) => string): string {
  const copy = join(folder, name);
  writeFileSync(copy, edit(readFileSync(path, 'utf8')));
  return copy;
}

describe('fitsOpenApiSchema', () => {
  // Each row is judged both ways. The refused ones break a schema slot that the 3.1 workaround rewrites
  // (components/schemas: a schema is an object or a boolean), and a 3.0 operation; the circular one is checked
  // with its cycle left as a $ref.
  it.each([
    ['the kit’s 3.1 document', DOCUMENT_PATH, true],
    [
      'a 3.1 document with a number where a schema goes',
      edited(DOCUMENT_PATH, 'bad-schema.yaml', (text) => text.replace(/\n {2}schemas:\n/, '\n  schemas:\n    Broken: 42\n')),
      false,
    ],
    ['a 3.0 document with a circular $ref', join(examples, '3.0/json/circular.json'), true],
    [
      'a 3.0 document with an operation that has no responses',
      edited(join(examples, '3.0/json/petstore-simple.json'), 'no-responses.json', (text) =>
        text.replace('"responses"', '"answers"'),
      ),
      false,
    ],
  ])('judges %s as swagger-parser’s validate() does', async (_what, path, fits) => {
    const parser = new SwaggerParser();
    const api = await parser.dereference(path, { dereference: { circular: 'ignore' } });
    expect(fitsOpenApiSchema(api)).toBe(fits);
    const validated = await SwaggerParser.validate(path).then(
      () => true,
      () => false,
    );
    expect(validated).toBe(fits);
  });

  it('leaves any other version to swagger-parser', () => {
    expect(fitsOpenApiSchema({ swagger: '2.0' })).toBeUndefined();
    expect(fitsOpenApiSchema({ openapi: '4.0.0' })).toBeUndefined();
  });
});

describe('loadContract with validation', () => {
  it('dereferences a circular document whole once it fits', async () => {
    const contract = await loadContract(join(examples, '3.0/json/circular.json'));
    const seen = new Set<unknown>();
    const refs = (value: unknown): number => {
      if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
      seen.add(value);
      return ('$ref' in value ? 1 : 0) + Object.values(value).reduce((sum: number, item) => sum + refs(item), 0);
    };
    expect(refs(contract.document)).toBe(0);
    expect(seen.size).toBeGreaterThan(0);
  });
});
