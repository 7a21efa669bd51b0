/** The media type of a Content-Type value without its parameters, lower-cased (RFC 9110 section 8.3.1). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/** True for application/json and every application/…+json type (RFC 6839), whatever the parameters. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json$/.test(mediaTypeOf(contentType) ?? '');
}

// RFC 9110 token characters include "*", so this also accepts Accept's ranges (*/*, text/*): one pattern for both.
const MEDIA_TYPE = /^\s*[!#$%&'*+.^_`|~\w-]+\/[!#$%&'*+.^_`|~\w-]+\s*(?:;.*)?$/;

/** True for a media type or media range with optional parameters (RFC 9110 sections 8.3.1 and 12.5.1). */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}
