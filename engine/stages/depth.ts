import type { Stage } from './stage.ts';

/**
 * How deep a JSON body may nest. The validators recurse through a body along a recursive schema, and a few
 * thousand levels (a 20 KB body) would overflow the stack; no document the kit serves nests a tenth as deep.
 */
const MAX_JSON_DEPTH = 256;

/** Depth: a parsed body nests at most MAX_JSON_DEPTH levels, counted without recursion. */
export const depth: Stage = {
  name: 'depth',
  judge(judging) {
    if (!judging.body || depthOf(judging.body.value) <= MAX_JSON_DEPTH) return undefined;
    return {
      stage: 'depth',
      rule: 'invalid-body',
      problem: `its body nests deeper than the ${MAX_JSON_DEPTH} levels the kit validates`,
      pointer: '/body',
    };
  },
};

function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [node, level] = item;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, level);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) pending.push([child, level + 1]);
  }
  return deepest;
}
