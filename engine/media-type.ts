/** The media type of a Content-Type value without its parameters, lower-cased (RFC 9110 section 8.3.1). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  // indexOf rather than split: the checks ask about a dozen times per exchange the proxy judges, and split's array
  // was a fifth of the judging.
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
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

/** Lower-cased `name=value` parameters, quotes removed: RFC 9110 section 5.6.6. */
function parametersOf(parts: readonly string[]): Array<readonly [string, string]> {
  return parts.flatMap((part) => {
    const at = part.indexOf('=');
    if (at === -1) return [];
    const value = part.slice(at + 1).trim();
    return [[part.slice(0, at).trim().toLowerCase(), (/^".*"$/.test(value) ? value.slice(1, -1) : value).toLowerCase()] as const];
  });
}

/**
 * True when an Accept header admits the media type (RFC 9110 section 12.5.1): of the ranges that match it
 * (*\/*, type/*, the type itself, with its parameters), the most specific decides, and its q must be above 0,
 * since "q=0" means "not acceptable" (section 12.4.2): `application/json;q=0, *\/*` refuses JSON and takes
 * anything else. No matching range refuses too. An Accept that does not parse is disregarded, as that section
 * allows and most servers do, so it admits everything.
 */
export function acceptsMediaType(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const ranges = accept.split(',');
  if (!ranges.every(isMediaType)) return true;
  const [name = '', ...rest] = mediaType.split(';');
  const [type = '', subtype = ''] = name.trim().toLowerCase().split('/');
  const own = new Map(parametersOf(rest));
  let decided: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const [rangeName = '', ...parts] = range.split(';');
    const [rangeType = '', rangeSubtype = ''] = rangeName.trim().toLowerCase().split('/');
    const all = parametersOf(parts);
    // "q" ends the media type's own parameters; what follows it are accept extensions (section 12.5.1).
    const qAt = all.findIndex(([key]) => key === 'q');
    const parameters = qAt === -1 ? all : all.slice(0, qAt);
    if (rangeType !== '*' && rangeType !== type) continue;
    if (rangeSubtype !== '*' && rangeSubtype !== subtype) continue;
    if (!parameters.every(([key, value]) => own.get(key) === value)) continue;
    const weight = qAt === -1 ? 1 : Number(all[qAt]?.[1]);
    // A weight that is not a number is read as the default, 1, as before: lenient, like the unparsable header.
    const q = Number.isNaN(weight) ? 1 : weight;
    // type/subtype;params over type/subtype over type/* over */*; of equally specific ranges, the higher q.
    const specificity = (rangeType === '*' ? 0 : 1000) + (rangeSubtype === '*' ? 0 : 100) + parameters.length;
    if (!decided || specificity > decided.specificity || (specificity === decided.specificity && q > decided.q)) {
      decided = { specificity, q };
    }
  }
  return decided !== undefined && decided.q > 0;
}

/** True when a documented media type or range (application/json, text/(any), (any)/(any)) covers a concrete one. */
export function rangeMatches(range: string, type: string | undefined): boolean {
  const documented = mediaTypeOf(range) ?? '';
  const concrete = mediaTypeOf(type) ?? '';
  if (documented === '*/*' || documented === concrete) return true;
  return documented.endsWith('/*') && concrete.startsWith(documented.slice(0, -1));
}
