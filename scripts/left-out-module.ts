/**
 * Stands in, inside the mock's bundle only, for a module Prism imports but the mock never runs (see
 * scripts/build.ts). Reading a property gives another stand-in, so module-level code that merely picks
 * names out of it still loads; calling or constructing one throws, naming the module, so a use is never silent.
 */
function leftOut(path: string): unknown {
  const fail = (): never => {
    throw new Error(`${path} was left out of the mock's bundle (scripts/build.ts), but the mock just used it.`);
  };
  return new Proxy(fail, {
    get: (_target, key) => (key === Symbol.toPrimitive || key === 'then' ? undefined : leftOut(`${path}.${String(key)}`)),
    apply: fail,
    construct: fail,
  });
}

const module = leftOut('module');
export default module;
export const faker = leftOut('@faker-js/faker');
