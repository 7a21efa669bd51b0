/**
 * The catalogue of violation codes: stable names a CI log or a ticket can refer to. The README lists them.
 * Each names the check that reports it and the fix a backend team should look at first.
 */
export const VIOLATIONS = {
  STATUS_UNDOCUMENTED: {
    check: 'status_documented',
    title: 'A valid request got a status the document does not list for the operation',
    fix: "Answer with one of the documented statuses, or ask the contract's authors to document the new one.",
  },
  CONTENT_TYPE_MISMATCH: {
    check: 'content_type',
    title: 'A documented status came with a media type other than the documented one',
    fix: 'Send the documented Content-Type (parameters such as charset are fine).',
  },
  BODY_NOT_JSON: {
    check: 'body_schema',
    title: 'The body of a documented status does not parse as JSON',
    fix: 'Serialise the body with a JSON encoder and send it whole.',
  },
  BODY_SCHEMA_MISMATCH: {
    check: 'body_schema',
    title: "The body breaks the document's schema for its status",
    fix: 'Change the field named by the pointer to what the schema asks.',
  },
  BODY_UNEXPECTED: {
    check: 'body_schema',
    title: 'A status the document gives no content came with a body (a 204 never has one: RFC 9110 section 15.3.5)',
    fix: 'Send no body with this status, or document its content.',
  },
  HEADER_MISSING: {
    check: 'headers_documented',
    title: 'A header the document marks required for the status is missing',
    fix: 'Send the documented header (e.g. Location on a 201).',
  },
  HEADER_SCHEMA_MISMATCH: {
    check: 'headers_documented',
    title: 'A documented response header breaks its schema',
    fix: 'Send the header value in the documented form.',
  },
  BODY_TOO_LARGE: {
    check: 'body_schema',
    title: 'The body is larger than the suite reads (1 MiB) and was cut off',
    fix: 'Send a body of the documented shape; an answer this large is almost certainly wrong.',
  },
  AUTH_NOT_ENFORCED: {
    check: 'auth_enforced',
    title: 'A request without the credentials its security requirements ask for got a 2xx',
    fix: 'Reject requests whose credentials are missing or malformed (an Authorization header that is not its scheme and a token, a missing API key).',
  },
  INVALID_ACCEPTED: {
    check: 'rejects_invalid',
    title: 'A request that breaks the contract (its body, a parameter, its media type, its path or method) got a 2xx',
    fix: 'Validate the request against the schema before acting on it, and answer 4xx.',
  },
  ERROR_ENVELOPE_MISMATCH: {
    check: 'error_envelope',
    title: "A refusal's body is not the gap policy's JSON error envelope",
    fix: "Answer every refusal in the error envelope the gap policy names (errorEnvelope), or the document's own error schema.",
  },
  ALLOW_MISSING: {
    check: 'allow_listed',
    title: 'A 405 came without an Allow header listing the methods of the path',
    fix: 'Send "Allow: <methods>" with every 405 (RFC 9110 section 15.5.6).',
  },
  STATUS_OUTSIDE_POLICY: {
    check: 'status_in_policy',
    title: 'A rejected request got a status neither the document nor the gap policy allows',
    fix: 'Answer with a status the gap policy allows for that situation.',
  },
  TIMEOUT: {
    check: 'transport',
    title: 'No complete answer arrived within the timeout',
    fix: 'Answer within the timeout; raise --timeout if the server is known to be slow.',
  },
  CONNECTION_FAILED: {
    check: 'transport',
    title: 'The connection failed or was dropped before a complete answer',
    fix: 'Check that the server is up at the base URL and does not close connections mid-answer.',
  },
} as const;

export type ViolationCode = keyof typeof VIOLATIONS;

/** The named checks; each check × case is one test. */
export const CHECKS = [
  'status_documented',
  'content_type',
  'body_schema',
  'headers_documented',
  'auth_enforced',
  'rejects_invalid',
  'status_in_policy',
  'allow_listed',
  'error_envelope',
] as const;

export type CheckName = (typeof CHECKS)[number];

/** One way in which an answer breaks the contract. A plain value: finding one is never an exception. */
export interface Violation {
  readonly code: ViolationCode;
  readonly check: CheckName;
  readonly severity: 'error' | 'warning';
  /** JSON pointer into the response body ("" for the whole body), when the violation is about the body. */
  readonly pointer?: string;
  /** JSON pointer into the OpenAPI document (or the gap policy, for STATUS_OUTSIDE_POLICY) that sets the rule. */
  readonly schemaPointer?: string;
  readonly expected: string;
  readonly actual: string;
  /** One sentence: where, what was expected, what came. */
  readonly message: string;
}
