/** What a request asks of the mock, through `Prefer` (RFC 7240) or `__`-prefixed query parameters. */
export interface Preferences {
  readonly example?: string;
  readonly code?: string;
  readonly delay?: string;
  readonly fault?: string;
  /** `true` asks for a body generated from the status's schema instead of a document example. */
  readonly dynamic?: string;
  /** The seed of a generated body, so that the same body comes again. */
  readonly seed?: string;
  /** `__` query parameters the mock does not read, e.g. a misspelt `__exmaple`: refused, never ignored. */
  readonly unknown?: readonly string[];
}

/** The preferences the mock reads, in the order it lists them. */
export const PREFERENCE_NAMES = ['example', 'code', 'delay', 'fault', 'dynamic', 'seed'] as const;

/**
 * Reads the mock's preferences. `Prefer: example=NAME, delay=500` and `?__example=NAME&__delay=500` mean the
 * same; a query parameter wins over the header because it is the more deliberate of the two in a browser.
 * Unknown preferences in `Prefer` are ignored, as RFC 7240 section 2 asks; an unknown `__` query parameter is
 * kept as unknown, since it can only be meant for the mock.
 */
export function readPreferences(prefer: string | undefined, query: URLSearchParams): Preferences {
  const fromHeader = parsePrefer(prefer ?? '');
  const preferences: { -readonly [K in keyof Preferences]: Preferences[K] } = {};
  for (const name of PREFERENCE_NAMES) {
    const value = query.get(`__${name}`) ?? fromHeader.get(name);
    if (value !== undefined && value !== null) preferences[name] = value;
  }
  const known = new Set<string>(PREFERENCE_NAMES.map((name) => `__${name}`));
  const unknown = [...new Set([...query.keys()].filter((key) => key.startsWith('__') && !known.has(key)))];
  if (unknown.length > 0) preferences.unknown = unknown;
  return preferences;
}

/**
 * Parses `Prefer` (RFC 7240 section 2): comma-separated `token[=value]`, each with optional `;` parameters,
 * values either tokens or quoted strings (RFC 9110 section 5.6.4), in which commas, semicolons and `\"` are
 * part of the value.
 */
function parsePrefer(header: string): Map<string, string> {
  const preferences = new Map<string, string>();
  for (const item of splitOutsideQuotes(header, ',')) {
    // Parameters after ";" refine a preference; the mock uses none of them.
    const [preference = ''] = splitOutsideQuotes(item, ';');
    const at = preference.indexOf('=');
    const name = (at === -1 ? preference : preference.slice(0, at)).trim().toLowerCase();
    const raw = at === -1 ? '' : preference.slice(at + 1).trim();
    if (name && !preferences.has(name)) preferences.set(name, unquote(raw));
  }
  return preferences;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (quoted && char === '\\') {
      current += char + (text[i + 1] ?? '');
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return /^".*"$/s.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
