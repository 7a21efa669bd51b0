/** Anything routable: a method and a path template, as the contract's operations have. */
export interface Routable {
  readonly method: string;
  readonly path: string;
}

export type Route<T extends Routable = Routable> =
  | { readonly kind: 'operation'; readonly operation: T; readonly pathValues: Readonly<Record<string, string>> }
  | { readonly kind: 'no-path' }
  | { readonly kind: 'no-method'; readonly allowed: readonly string[] };

/**
 * Finds the documented operation for a method and path: the operation with its path parameters (still
 * percent-encoded), or why there is none (no path, or the path without this method, with the methods a 405's
 * Allow lists). A path under one of the servers' base paths ("/v1/projects") routes as the path without it, as a
 * path at the root does (Prism serves both). A literal segment wins over a template one (OpenAPI 3.1 section
 * 4.8.8.2: "/users/me" before "/users/{id}").
 */
export function routeOperation<T extends Routable>(
  operations: readonly T[],
  method: string,
  path: string,
  basePaths: readonly string[] = [],
): Route<T> {
  const found = routeAt(operations, method, path);
  if (found.kind !== 'no-path') return found;
  for (const base of basePaths) {
    if (base !== '' && path.startsWith(`${base}/`)) {
      const inner = routeAt(operations, method, path.slice(base.length));
      if (inner.kind !== 'no-path') return inner;
    }
  }
  return found;
}

function routeAt<T extends Routable>(operations: readonly T[], method: string, path: string): Route<T> {
  const matches: { operation: T; values: Record<string, string>; literal: number }[] = [];
  let literal = -1;
  for (const operation of operations) {
    const template = compile(operation.path);
    const match = template.regExp.exec(path);
    if (!match) continue;
    const values: Record<string, string> = {};
    for (const [index, name] of template.names.entries()) values[name] = match[index + 1] ?? '';
    matches.push({ operation, values, literal: template.literal });
    // The most literal template decides which path this is; its methods are the ones allowed.
    literal = Math.max(literal, template.literal);
  }
  if (matches.length === 0) return { kind: 'no-path' };
  const atPath = matches.filter((match) => match.literal === literal);
  const wanted = method.toLowerCase();
  // RFC 9110 section 9.3.2: HEAD is GET without the content, wherever GET is and HEAD is not documented.
  const hit =
    atPath.find((candidate) => candidate.operation.method === wanted) ??
    (wanted === 'head' ? atPath.find((candidate) => candidate.operation.method === 'get') : undefined);
  if (hit) return { kind: 'operation', operation: hit.operation, pathValues: hit.values };
  const allowed = new Set(atPath.map((candidate) => candidate.operation.method.toUpperCase()));
  if (allowed.has('GET')) allowed.add('HEAD');
  return { kind: 'no-method', allowed: [...allowed] };
}

interface Template {
  readonly regExp: RegExp;
  readonly names: readonly string[];
  /** How many characters of the template are literal: the more, the more specific. */
  readonly literal: number;
}

// Compiled once per path template: routing runs on every request.
const compiled = new Map<string, Template>();

function compile(template: string): Template {
  const known = compiled.get(template);
  if (known) return known;
  const names: string[] = [];
  let literal = 0;
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith('{') && part.endsWith('}')) {
        names.push(part.slice(1, -1));
        return '([^/]+)';
      }
      literal += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const result = { regExp: new RegExp(`^${pattern}/?$`), names, literal };
  compiled.set(template, result);
  return result;
}
