// The gap policy's shape and the situations the engine recognises. The policy file decides what each situation
// means (what an implementation may answer, what the mock answers); the engine only decides which situation a
// request is in. Reading a policy file is Node's business (openapi/load-gap-policy.ts); this module is pure.

/** The situations the engine knows how to recognise. A policy that lacks one of these is refused at load time. */
export const GAP_RULE_IDS = [
  'missing-credentials',
  'invalid-credentials',
  'invalid-parameter',
  'missing-body',
  'malformed-json',
  'invalid-body',
  'unsupported-media-type',
  'not-acceptable',
  'body-too-large',
  'unknown-path',
  'method-not-allowed',
  'malformed-request',
  'unknown-scenario',
] as const;

export type GapRuleId = (typeof GAP_RULE_IDS)[number];

export interface GapRule {
  readonly id: GapRuleId;
  readonly when: string;
  readonly cite?: string;
  readonly allowedStatuses: readonly number[];
  readonly mock: { readonly status: number; readonly headers: Readonly<Record<string, string>> };
  /** JSON pointer of the rule inside the policy file, for provenance and reports. */
  readonly pointer: string;
}

/**
 * The error envelope a policy names: a schema of the document and the two properties every refusal fills. A
 * policy may name none (the default policy for another document): the envelope then comes from the document's
 * own documented error responses, or is not judged (engine/error-envelope.ts).
 */
export interface PolicyEnvelope {
  readonly schema: string;
  readonly flagProperty?: string;
  readonly messageProperty?: string;
}

export interface GapPolicy {
  readonly path: string;
  readonly errorEnvelope?: PolicyEnvelope;
  readonly outsidePolicyStatus: 'warn' | 'fail';
  readonly maxRequestBodyBytes: number;
  readonly rules: Readonly<Record<GapRuleId, GapRule>>;
}

/** How the default policy is named in reports and X-Mock-Source. */
export const DEFAULT_POLICY_LABEL = 'the default gap policy';

/**
 * The policy for a document that brings none of its own: the same rules as the kit's policy, no envelope (the
 * document's own error responses decide it), and no fixed challenge, since the operations' schemes name it.
 */
export function defaultPolicyFrom(kitPolicy: GapPolicy): GapPolicy {
  const rules = Object.fromEntries(
    Object.entries(kitPolicy.rules).map(([id, rule]) => {
      const headers = Object.fromEntries(
        Object.entries(rule.mock.headers).filter(([name]) => name.toLowerCase() !== 'www-authenticate'),
      );
      return [id, { ...rule, mock: { ...rule.mock, headers } }];
    }),
  ) as Record<GapRuleId, GapRule>;
  return {
    path: DEFAULT_POLICY_LABEL,
    outsidePolicyStatus: kitPolicy.outsidePolicyStatus,
    maxRequestBodyBytes: kitPolicy.maxRequestBodyBytes,
    rules,
  };
}
