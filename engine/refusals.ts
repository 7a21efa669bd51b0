// A refusal in words and as an answer, written once: the mock, the MSW handlers, the proxy and the reference
// server all send refusals through here, so a request gets the same sentence and status from each.
import { operationLabel } from './contract.ts';
import { type ErrorEnvelope, envelopeBody } from './error-envelope.ts';
import type { GapPolicy } from './gap-policy.ts';
import type { EngineRequest } from './request.ts';
import type { Refusal } from './stages/stage.ts';

/** One sentence for a refused request: which request, what is wrong, and where. */
export function refusalSentence(
  refusal: Pick<Refusal, 'rule' | 'problem' | 'pointer'>,
  request: Pick<EngineRequest, 'method' | 'path'>,
): string {
  const label = operationLabel(request);
  const where = refusal.pointer === '' ? '' : ` (at ${refusal.pointer})`;
  return `${label} is refused under ${refusal.rule}: ${refusal.problem}${where}.`;
}

/** A refusal as the kit answers it: the policy rule's status and headers, the sentence in the error envelope. */
export interface RefusalAnswer {
  readonly status: number;
  /** Names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The rule's pointer in the policy, for X-Mock-Source and reports. */
  readonly rulePointer: string;
}

/** The answer to a refusal under the policy; `challenges` are the WWW-Authenticate values of the operation's schemes. */
export function refusalAnswer(
  policy: GapPolicy,
  envelope: ErrorEnvelope,
  refusal: Pick<Refusal, 'rule' | 'allow'>,
  sentence: string,
  challenges: readonly string[] = [],
): RefusalAnswer {
  const rule = policy.rules[refusal.rule];
  const headers: Record<string, string> = { 'content-type': envelope.contentType };
  for (const [name, value] of Object.entries(rule.mock.headers)) headers[name.toLowerCase()] = value;
  if (refusal.allow) headers.allow = refusal.allow.join(', ');
  // RFC 9110 section 11.6.1: a 401 carries a challenge; the operation's HTTP schemes name it when the policy does not.
  if (rule.mock.status === 401 && headers['www-authenticate'] === undefined && challenges.length > 0) {
    headers['www-authenticate'] = challenges.join(', ');
  }
  return {
    status: rule.mock.status,
    headers,
    body: envelopeBody(envelope, sentence, rule.mock.status),
    rulePointer: rule.pointer,
  };
}
