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

  it('compiles each schema once', () => {
    const validatorFor = validatorCache();
    const schema = { type: 'string' };
    expect(validatorFor(schema)).toBe(validatorFor(schema));
  });
});
