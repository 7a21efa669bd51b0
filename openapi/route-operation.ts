/** Anything routable: a method and a path template, as the contract's operations have. */
export interface Routable {
  readonly method: string;
  readonly path: string;
}

export type Route<T extends Routable = Routable> =
  | { readonly kind: 'operation'; readonly operation: T }
  | { readonly kind: 'no-path' }
  | { readonly kind: 'no-method'; readonly allowed: readonly string[] };

/**
 * Finds the documented operation for a method and path: the operation, or why there is none (no path, or the
 * path without this method, with the methods a 405's Allow lists). The mock, the suite and the proxy route by it.
 */
export function routeOperation<T extends Routable>(operations: readonly T[], method: string, path: string): Route<T> {
  const atPath = operations.filter((operation) => templateToRegExp(operation.path).test(path));
  if (atPath.length === 0) return { kind: 'no-path' };
  const operation = atPath.find((candidate) => candidate.method === method.toLowerCase());
  if (operation) return { kind: 'operation', operation };
  return { kind: 'no-method', allowed: atPath.map((candidate) => candidate.method.toUpperCase()) };
}

// Compiled once per path template: routing runs on every request.
const compiled = new Map<string, RegExp>();

function templateToRegExp(template: string): RegExp {
  const known = compiled.get(template);
  if (known) return known;
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regExp = new RegExp(`^${pattern}/?$`);
  compiled.set(template, regExp);
  return regExp;
}
