/**
 * The one redaction every tool of the kit applies to text before it leaves the process (console, reports, proxy
 * log), and before any text is cut short or quoted: a cut must never leave a prefix of a secret behind.
 */

/** What a secret is shown as: a shell variable for the token, so a reproduced curl command still runs. */
export const TOKEN_PLACEHOLDER = '$CONTRACT_TOKEN';
const HIDDEN = '[redacted]';

/** A fragment of a secret at least this long is a secret too: enough of a token to narrow a guess. */
export const MIN_SECRET_FRAGMENT = 8;

export interface Secrets {
  /** The bearer token. */
  readonly token?: string | undefined;
  /** URLs whose userinfo (user:password@, both parts) is a secret, e.g. the base URL or the upstream. */
  readonly urls?: readonly string[];
  /** Other credentials (API keys, user:password), shown as [redacted]. */
  readonly others?: readonly string[];
}

export interface Redactor {
  /** The text with every secret replaced and every control character escaped. */
  text(text: string): string;
  /** redact, then cut to `max` characters (an ellipsis marks the cut). */
  excerpt(text: string, max?: number): string;
  /**
   * A deep copy of a JSON-like value with every string redacted, keys included (a server can echo a token into
   * a header name, which HTTP lowercases: keys are matched without regard to case).
   */
  value<T>(value: T): T;
}

// C0 and C1 controls but tab and line feed, DEL, and the bidirectional overrides that reorder what a terminal
// shows (CVE-2021-42574): a server's bytes must never drive the reader's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Characters a bearer token is made of (RFC 6750 b64token): a short secret is replaced only where it stands
// alone, so the token "t" does not turn "type" into "$CONTRACT_TOKENype".
const TOKEN_CHAR = /[A-Za-z0-9\-._~+/=]/;

/** A secret and what it is shown as; `always` replaces it wherever it stands, however short. */
interface Rule {
  readonly secret: string;
  readonly shownAs: string;
  readonly always?: boolean;
}

/** Builds the redactor for one run's secrets. */
export function createRedactor(secrets: Secrets): Redactor {
  const found: Rule[] = [];
  if (secrets.token) found.push({ secret: secrets.token, shownAs: TOKEN_PLACEHOLDER });
  for (const other of secrets.others ?? []) if (other) found.push({ secret: other, shownAs: HIDDEN });
  for (const url of secrets.urls ?? []) {
    const { written, parts } = userinfoOf(url);
    // The whole userinfo where it stands in a URL, however short: "//ci@" must not survive as a name too short
    // to be replaced on its own.
    for (const userinfo of written) found.push({ secret: `//${userinfo}@`, shownAs: `//${HIDDEN}@`, always: true });
    for (const part of parts) {
      found.push({ secret: part, shownAs: HIDDEN });
      const decoded = safeDecode(part);
      if (decoded !== part) found.push({ secret: decoded, shownAs: HIDDEN });
    }
  }
  // Each secret also as a server may echo it: JSON-escaped once and twice (a"b reads a\"b in a JSON body, and
  // a\\\"b in a message that quotes such a body with JSON.stringify), percent-encoded and HTML-escaped.
  const escapeJson = (text: string): string => JSON.stringify(text).slice(1, -1);
  const rules = found.flatMap((rule) =>
    [
      ...new Set([
        rule.secret,
        escapeJson(rule.secret),
        escapeJson(escapeJson(rule.secret)),
        safeEncode(rule.secret),
        escapeHtml(rule.secret),
      ]),
    ].map((form) => ({ ...rule, secret: form })),
  );
  const text = textRedaction(rules);
  const folded = textRedaction(rules.map((rule) => ({ ...rule, secret: rule.secret.toLowerCase() })));
  const key = (input: string): string => {
    const lower = input.toLowerCase();
    const hidden = folded(lower);
    return hidden === lower.replace(CONTROL, escapeControl) ? text(input) : hidden;
  };
  return {
    text,
    excerpt: (input, max = 80) => {
      const shown = text(input);
      return shown.length > max ? `${shown.slice(0, max)}…` : shown;
    },
    value: <T>(value: T): T => redactValue(value, text, key) as T,
  };
}

/** The redaction of text for a list of secrets: each whole, then any fragment of MIN_SECRET_FRAGMENT, then controls. */
function textRedaction(unordered: readonly Rule[]): (input: string) => string {
  // Longest first, so that a secret that contains another is replaced whole.
  const rules = [...unordered].sort((a, b) => b.secret.length - a.secret.length);
  // Fragments: every window of MIN_SECRET_FRAGMENT characters of a long enough secret.
  const windows = new Set<string>();
  const starts = new Set<number>();
  const pairs = new Uint8Array(PAIR_SLOTS);
  for (const { secret, always } of rules) {
    if (always) continue;
    for (let i = 0; i + MIN_SECRET_FRAGMENT <= secret.length; i += 1) {
      windows.add(secret.slice(i, i + MIN_SECRET_FRAGMENT));
      starts.add(secret.charCodeAt(i) * 0x10000 + secret.charCodeAt(i + 1));
      pairs[pairSlot(secret.charCodeAt(i), secret.charCodeAt(i + 1))] = 1;
    }
  }
  return (input) => {
    let out = input;
    for (const { secret, shownAs, always } of rules) {
      out = always ? out.replaceAll(secret, shownAs) : replaceWhole(out, secret, shownAs);
    }
    if (windows.size > 0) out = replaceFragments(out, windows, starts, pairs);
    return out.replace(CONTROL, escapeControl);
  };
}

// The pairs of characters a fragment can start with, hashed into a table of this many slots: most positions of a
// long body (a megabyte of "x") are ruled out by one array read, before the set of pairs is asked.
const PAIR_SLOTS = 4096;
const pairSlot = (first: number, second: number): number => ((first << 5) ^ second) & (PAIR_SLOTS - 1);

function replaceWhole(text: string, secret: string, shownAs: string): string {
  if (secret.length >= MIN_SECRET_FRAGMENT) return text.replaceAll(secret, shownAs);
  let out = '';
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    const before = text[at - 1];
    const after = text[at + secret.length];
    if ((before !== undefined && TOKEN_CHAR.test(before)) || (after !== undefined && TOKEN_CHAR.test(after))) continue;
    out += text.slice(from, at) + shownAs;
    from = at + secret.length;
    at = from - 1;
  }
  return out + text.slice(from);
}

/** Replaces every run of text that shares MIN_SECRET_FRAGMENT or more consecutive characters with a secret. */
function replaceFragments(text: string, windows: ReadonlySet<string>, starts: ReadonlySet<number>, pairs: Uint8Array): string {
  let hidden: Uint8Array | undefined;
  // Each character is read once: the second of one pair is the first of the next.
  let second = text.charCodeAt(0);
  for (let i = 0; i + MIN_SECRET_FRAGMENT <= text.length; i += 1) {
    const first = second;
    second = text.charCodeAt(i + 1);
    if (pairs[pairSlot(first, second)] === 0) continue;
    // The first two characters as one number: most positions are ruled out without building a string.
    if (!starts.has(first * 0x10000 + second)) continue;
    if (windows.has(text.slice(i, i + MIN_SECRET_FRAGMENT))) {
      hidden ??= new Uint8Array(text.length);
      hidden.fill(1, i, i + MIN_SECRET_FRAGMENT);
    }
  }
  if (!hidden) return text;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    if (hidden[i] === 0) out += text[i];
    else if (i === 0 || hidden[i - 1] === 0) out += HIDDEN;
  }
  return out;
}

function escapeControl(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function redactValue(value: unknown, text: (input: string) => string, key: (input: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, text, key));
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = [];
    const names = new Set<string>();
    for (const [name, item] of Object.entries(value)) {
      let shown = key(name);
      // Two names redacted alike must not overwrite each other.
      for (let n = 2; names.has(shown); n += 1) shown = `${key(name)} (${n})`;
      names.add(shown);
      entries.push([shown, redactValue(item, text, key)]);
    }
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * The userinfo of a URL as written and as the URL parser writes it (`written`), and its user name and password
 * (`parts`, percent-encoded); nothing for a URL without userinfo.
 */
function userinfoOf(url: string): { written: string[]; parts: string[] } {
  const raw = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)@/.exec(url)?.[1];
  try {
    const { username, password } = new URL(url);
    const parsed = password ? `${username}:${password}` : username;
    return {
      written: [...new Set([raw, parsed].filter((part): part is string => !!part))],
      parts: [username, password].filter((part) => part !== ''),
    };
  } catch {
    return { written: raw ? [raw] : [], parts: [] };
  }
}

function safeEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
