/** True when every property of `subset` is present, recursively equal, in `value` (how x-request-match is read). */
export function containsSubset(value: unknown, subset: unknown): boolean {
  if (subset === null || typeof subset !== 'object' || Array.isArray(subset)) return jsonEqual(value, subset);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(subset).every(([key, expected]) => containsSubset((value as Record<string, unknown>)[key], expected));
}

/**
 * Equality of two JSON values (both come from JSON or YAML): arrays item by item, objects by their keys in any
 * order. Written here rather than taken from node:util so that the MSW handlers run in a browser too.
 */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (key) => Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}
