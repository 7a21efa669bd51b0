import { describe, expect, it } from 'vitest';
import { validatorCache } from './compile-validators.ts';
import { forDirection, schemaFor } from './schema-dialect.ts';

const pet = {
  type: 'object',
  required: ['id', 'name', 'password'],
  properties: {
    id: { type: 'integer', readOnly: true },
    name: { type: 'string' },
    password: { type: 'string', writeOnly: true },
  },
};

describe('schemaFor (OpenAPI 3.0 dialect)', () => {
  it.each([
    ['nullable adds null to the type', { type: 'string', nullable: true }, null, true],
    ['nullable adds null to an enum', { type: 'string', enum: ['a'], nullable: true }, null, true],
    ['a boolean exclusiveMinimum excludes the minimum', { type: 'integer', minimum: 1, exclusiveMinimum: true }, 1, false],
    ['and keeps what is above it', { type: 'integer', minimum: 1, exclusiveMinimum: true }, 2, true],
  ])('%s', (_name, schema, value, valid) => {
    expect(validatorCache()(schemaFor(schema, '3.0'))(value).length === 0).toBe(valid);
  });
});

describe('forDirection', () => {
  it('requires a readOnly property of responses only, a writeOnly one of requests only', () => {
    const request = validatorCache()(forDirection(pet, 'request'));
    const response = validatorCache()(forDirection(pet, 'response'));
    expect(request({ name: 'Rex', password: 'p' })).toEqual([]);
    expect(request({ name: 'Rex' }).map((error) => error.params.missingProperty)).toEqual(['password']);
    expect(response({ id: 1, name: 'Rex' })).toEqual([]);
    expect(response({ name: 'Rex' }).map((error) => error.params.missingProperty)).toEqual(['id']);
  });

  it('keeps a schema that marks nothing as it is, so its pointers and validator stay', () => {
    const plain = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    expect(forDirection(plain, 'request')).toBe(plain);
  });
});
