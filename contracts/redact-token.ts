import { TOKEN_PLACEHOLDER } from './call-operation.ts';

/**
 * Tokens shorter than this are not searched for in answers: replacing every "t" of a body would make reports
 * unreadable, and so short a string cannot be a real secret. The Authorization header the suite sends is
 * always shown as $CONTRACT_TOKEN, whatever the token's length.
 */
export const MIN_REDACTED_TOKEN_LENGTH = 4;

/** Returns a copy of a JSON-like value in which every occurrence of the token reads $CONTRACT_TOKEN. */
export function redactToken<T>(value: T, token: string | undefined): T {
  if (token === undefined || token.length < MIN_REDACTED_TOKEN_LENGTH) return value;
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === 'string' ? item.replaceAll(token, TOKEN_PLACEHOLDER) : item,
  ) as T;
}
