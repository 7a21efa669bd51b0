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
  /** URLs whose password (user:password@) is a secret, e.g. the base URL or the upstream. */
  readonly urls?: readonly string[];
  /** Other credentials (API keys, user:password), shown as [redacted]. */
  readonly others?: readonly string[];
}

export interface Redactor {
  /** The text with every secret replaced and every control character escaped. */
  text(text: string): string;
  /** redact, then cut to `max` characters (an ellipsis marks the cut). */
  excerpt(text: string, max?: number): string;
  /** A deep copy of a JSON-like value with every string redacted; keys are kept. */
  value<T>(value: T): T;
}

// C0 and C1 controls but tab and line feed, DEL, and the bidirectional overrides that reorder what a terminal
// shows (CVE-2021-42574): a server's bytes must never drive the reader's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Characters a bearer token is made of (RFC 6750 b64token): a short secret is replaced only where it stands
// alone, so the token "t" does not turn "type" into "$CONTRACT_TOKENype".
const TOKEN_CHAR = /[A-Za-z0-9\-._~+/=]/;

/** Builds the redactor for one run's secrets. */
export function createRedactor(secrets: Secrets): Redactor {
  const rules: { secret: string; shownAs: string }[] = [];
  if (secrets.token) rules.push({ secret: secrets.token, shownAs: TOKEN_PLACEHOLDER });
  for (const other of secrets.others ?? []) if (other) rules.push({ secret: other, shownAs: HIDDEN });
  for (const url of secrets.urls ?? []) {
    const password = passwordOf(url);
    if (password) {
      rules.push({ secret: password, shownAs: HIDDEN });
      const decoded = safeDecode(password);
      if (decoded !== password) rules.push({ secret: decoded, shownAs: HIDDEN });
    }
  }
  // Fragments: every window of MIN_SECRET_FRAGMENT characters of a long enough secret.
  const windows = new Set<string>();
  const starts = new Set<number>();
  for (const { secret } of rules) {
    for (let i = 0; i + MIN_SECRET_FRAGMENT <= secret.length; i += 1) {
      windows.add(secret.slice(i, i + MIN_SECRET_FRAGMENT));
      starts.add(secret.charCodeAt(i) * 0x10000 + secret.charCodeAt(i + 1));
    }
  }
  const text = (input: string): string => {
    let out = input;
    for (const { secret, shownAs } of rules) out = replaceWhole(out, secret, shownAs);
    if (windows.size > 0) out = replaceFragments(out, windows, starts);
    return out.replace(CONTROL, escapeControl);
  };
  return {
    text,
    excerpt: (input, max = 80) => {
      const shown = text(input);
      return shown.length > max ? `${shown.slice(0, max)}…` : shown;
    },
    value: <T>(value: T): T => redactValue(value, text) as T,
  };
}

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
function replaceFragments(text: string, windows: ReadonlySet<string>, starts: ReadonlySet<number>): string {
  let hidden: Uint8Array | undefined;
  for (let i = 0; i + MIN_SECRET_FRAGMENT <= text.length; i += 1) {
    // The first two characters as one number: most positions are ruled out without building a string.
    if (!starts.has(text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1))) continue;
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

function redactValue(value: unknown, text: (input: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, text));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, text)]));
  }
  return value;
}

function passwordOf(url: string): string | undefined {
  try {
    return new URL(url).password || undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
