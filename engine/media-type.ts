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

/**
 * True when an Accept header admits the media type: a matching range (*\/*, type/*, or the type itself) with a
 * q above 0 (RFC 9110 section 12.5.1). An Accept that does not parse is disregarded, as that section allows
 * and most servers do, so it admits everything.
 */
export function acceptsMediaType(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const ranges = accept.split(',');
  if (!ranges.every(isMediaType)) return true;
  const [type = '', subtype = ''] = (mediaTypeOf(mediaType) ?? '').split('/');
  return ranges.some((range) => {
    const [name = '', ...parameters] = range.split(';');
    const [rangeType = '', rangeSubtype = ''] = name.trim().toLowerCase().split('/');
    const q = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return (rangeType === '*' || rangeType === type) && (rangeSubtype === '*' || rangeSubtype === subtype);
  });
}
