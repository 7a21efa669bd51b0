/** Encodes path segments as a JSON pointer (RFC 6901): "~" becomes "~0" and "/" becomes "~1". */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
