import type { GapPolicy } from './load-gap-policy.ts';

/** The gap policy's error envelope around one sentence, e.g. {"success": false, "error": "<sentence>"}. */
export function errorEnvelope(policy: Pick<GapPolicy, 'errorEnvelope'>, sentence: string): Record<string, unknown> {
  return { [policy.errorEnvelope.flagProperty]: false, [policy.errorEnvelope.messageProperty]: sentence };
}

/** The same, serialised: the body of every refusal the kit itself sends. */
export function errorEnvelopeJson(policy: Pick<GapPolicy, 'errorEnvelope'>, sentence: string): string {
  return JSON.stringify(errorEnvelope(policy, sentence));
}
