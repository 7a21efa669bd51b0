import { describe, expect, it } from 'vitest';
import { validatorCache, withoutCycles } from './compile-validators.ts';

/** A dereferenced self-referencing schema, as swagger-parser leaves it: a cycle of objects. */
function treeSchema(): Record<string, unknown> {
  const node: Record<string, unknown> = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
  return node;
}

describe('validatorCache', () => {
  it('validates a recursive schema at every depth', () => {
    const validate = validatorCache()(treeSchema());
    expect(validate({ name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] })).toEqual([]);
    const [error] = validate({ name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] });
    expect(error).toMatchObject({ instancePath: '/children/0/children/0/name', keyword: 'type' });
  });

  it('leaves a schema without cycles as it is, so schema paths stay the document pointers', () => {
    const flat = { type: 'object', properties: { a: { type: 'string' } } };
    expect(withoutCycles(flat)).toBe(flat);
  });

  it('compiles a discriminator with a mapping, which Ajv’s own discriminator refuses, its oneOf still judged', () => {
    const schema = {
      oneOf: [
        { type: 'object', required: ['kind', 'bark'], properties: { kind: { type: 'string' }, bark: { type: 'boolean' } } },
        { type: 'object', required: ['kind', 'purr'], properties: { kind: { type: 'string' }, purr: { type: 'integer' } } },
      ],
      discriminator: { propertyName: 'kind', mapping: { dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat' } },
    };
    const validate = validatorCache()(schema);
    expect(validate({ kind: 'dog', bark: true })).toEqual([]);
    expect(validate({ kind: 'cat', purr: 'loud' }).length).toBeGreaterThan(0);
  });

  it('compiles each schema once', () => {
    const validatorFor = validatorCache();
    const schema = { type: 'string' };
    expect(validatorFor(schema)).toBe(validatorFor(schema));
  });
});
