/** The media type of a Content-Type value without its parameters, lower-cased (RFC 9110 section 8.3.1). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/** True for application/json and every application/…+json type (RFC 6839), whatever the parameters. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json$/.test(mediaTypeOf(contentType) ?? '');
}
