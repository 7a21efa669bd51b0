/**
 * The catalogue of violation codes: stable names a CI log or a ticket can refer to. The README lists them.
 * Each names the check that reports it and the fix a backend team should look at first.
 */
export const VIOLATIONS = {
  STATUS_UNDOCUMENTED: {
    check: 'status_documented',
    title: 'A valid request got a status the document does not list for the operation',
    fix: 'Answer with one of the documented statuses, or document the new one in openapi/flashback.yaml.',
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
  BODY_TOO_LARGE: {
    check: 'body_schema',
    title: 'The body is larger than the suite reads (1 MiB) and was cut off',
    fix: 'Send a body of the documented shape; an answer this large is almost certainly wrong.',
  },
  AUTH_NOT_ENFORCED: {
    check: 'auth_enforced',
    title: 'A request without valid bearer credentials got a 2xx',
    fix: 'Reject requests whose Authorization header is missing or not "Bearer <token>" (RFC 6750).',
  },
  INVALID_ACCEPTED: {
    check: 'rejects_invalid',
    title: 'A request that breaks the request schema got a 2xx',
    fix: 'Validate the request against the schema before acting on it, and answer 4xx.',
  },
  ERROR_ENVELOPE_MISMATCH: {
    check: 'error_envelope',
    title: "A refusal's body is not the gap policy's JSON error envelope",
    fix: 'Answer every refusal as JSON in the error envelope that openapi/gap-policy.yaml names (errorEnvelope).',
  },
  STATUS_OUTSIDE_POLICY: {
    check: 'status_in_policy',
    title: 'A rejected request got a status neither the document nor the gap policy allows',
    fix: 'Answer with a status the gap policy allows for that situation (openapi/gap-policy.yaml).',
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
  'auth_enforced',
  'rejects_invalid',
  'status_in_policy',
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
