// The one file that knows api-smart-diff: it finds what changed between two OpenAPI documents, matching what a
// text diff cannot (parameters by name and location, enum values by value, $refs followed, path-level parameters
// folded into each operation). Its own one-sided classification is not used: diff/classify-change.ts decides for
// clients and for implementations apart. docs/decisions/0011-diff.md weighs it against openapi-diff and oasdiff.
import { apiDiff } from 'api-smart-diff';

/** One structural difference, at a path of the document as seen from its operations ($refs followed). */
export interface StructuralChange {
  readonly action: 'add' | 'remove' | 'replace';
  /**
   * Where, e.g. ["paths", "/mfa/enable", "post", "requestBody", "content", "application/json", "schema", ...].
   * An index into an array counts in the merged array: an element of BASE keeps its index in BASE, an element
   * that only HEAD has comes after all of BASE's.
   */
  readonly path: readonly (string | number)[];
  readonly before?: unknown;
  readonly after?: unknown;
}

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The document as its operations see it: the top-level security copied into every operation that has none of its
 * own, so that a change to it reads as a change to each operation it governs. The caller's object is not touched.
 */
export function withSecurityPerOperation(document: Json): Json {
  const copy = structuredClone(document);
  const security = copy.security;
  const paths = (copy.paths ?? {}) as Record<string, Json>;
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const operation = item?.[method] as Json | undefined;
      if (operation && typeof operation === 'object' && operation.security === undefined && security !== undefined) {
        operation.security = structuredClone(security);
      }
    }
  }
  delete copy.security;
  return copy;
}

/** Every structural difference between two bundled documents (internal $refs only). */
export function structuralChanges(base: Json, head: Json): StructuralChange[] {
  const diffs = apiDiff(withSecurityPerOperation(base), withSecurityPerOperation(head));
  return diffs.flatMap((diff): StructuralChange[] => {
    // "rename" is the library's word for a path template whose parameter names changed (/a/{id} to /a/{key}):
    // for the contract, the operation at the old path is gone and another one is there.
    const action = diff.action === 'rename' ? 'replace' : diff.action;
    if (action !== 'add' && action !== 'remove' && action !== 'replace') return [];
    return [
      {
        action,
        path: diff.path,
        ...(diff.before === undefined ? {} : { before: diff.before }),
        ...(diff.after === undefined ? {} : { after: diff.after }),
      },
    ];
  });
}
