/** What a request asks of the mock, through `Prefer` (RFC 7240) or `__`-prefixed query parameters. */
export interface Preferences {
  readonly example?: string;
  readonly code?: string;
  readonly delay?: string;
  readonly fault?: string;
}

const NAMES = ['example', 'code', 'delay', 'fault'] as const;

/**
 * Reads the mock's preferences. `Prefer: example=NAME, delay=500` and `?__example=NAME&__delay=500` mean the
 * same; a query parameter wins over the header because it is the more deliberate of the two in a browser.
 */
export function readPreferences(prefer: string | undefined, query: URLSearchParams): Preferences {
  const fromHeader = parsePrefer(prefer ?? '');
  const preferences: Record<string, string> = {};
  for (const name of NAMES) {
    const value = query.get(`__${name}`) ?? fromHeader.get(name);
    if (value !== undefined && value !== null) preferences[name] = value;
  }
  return preferences;
}

/** Parses `Prefer` preferences (RFC 7240 section 2): comma-separated `token[=value]`, values optionally quoted. */
function parsePrefer(header: string): Map<string, string> {
  const preferences = new Map<string, string>();
  for (const item of header.split(',')) {
    // Parameters after ";" refine a preference; the mock uses none of them.
    const [preference = ''] = item.split(';');
    const [rawName = '', ...rest] = preference.split('=');
    const name = rawName.trim().toLowerCase();
    if (name && !preferences.has(name))
      preferences.set(
        name,
        rest
          .join('=')
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return preferences;
}
