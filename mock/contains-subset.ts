import { isDeepStrictEqual } from 'node:util';

/** True when every property of `subset` is present, recursively equal, in `value` (how x-request-match is read). */
export function containsSubset(value: unknown, subset: unknown): boolean {
  if (subset === null || typeof subset !== 'object' || Array.isArray(subset)) return isDeepStrictEqual(value, subset);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(subset).every(([key, expected]) => containsSubset((value as Record<string, unknown>)[key], expected));
}
