// The gap policy decides what the document leaves unsaid, so a change to it is a change to the contract: a rule
// whose allowed statuses narrow fails implementations that answered a status it dropped; one that widens lets
// backends answer what frontends were not built to read; a different mock answer breaks frontends' tests.
import { GAP_RULE_IDS, type GapPolicy } from '../engine/index.ts';
import type { DocumentChange, Side, Verdict } from './classify-change.ts';

const list = (statuses: readonly number[]) => (statuses.length === 0 ? 'none' : statuses.join(', '));

/** Every change between two policies, classified for both sides. */
export function comparePolicies(base: GapPolicy, head: GapPolicy): DocumentChange[] {
  const out: DocumentChange[] = [];
  const add = (kind: string, where: string, sentence: string, verdict: Record<Side, Verdict>) =>
    out.push({ kind, where, base: `#${where}`, head: `#${where}`, sentence, ...verdict });

  for (const id of GAP_RULE_IDS) {
    const before = base.rules[id];
    const after = head.rules[id];
    const where = after.pointer;
    const dropped = before.allowedStatuses.filter((status) => !after.allowedStatuses.includes(status));
    const added = after.allowedStatuses.filter((status) => !before.allowedStatuses.includes(status));
    if (dropped.length > 0 || added.length > 0) {
      add(
        dropped.length > 0 ? 'policy-allowed-statuses-narrowed' : 'policy-allowed-statuses-widened',
        `${where}/allowedStatuses`,
        `Gap policy rule ${id}: the statuses an implementation may answer went from ${list(before.allowedStatuses)} to ${list(after.allowedStatuses)}.`,
        {
          clients: added.length > 0 ? 'breaking' : 'compatible',
          implementations: dropped.length > 0 ? 'breaking' : 'compatible',
        },
      );
    }
    const headersBefore = JSON.stringify(Object.entries(before.mock.headers).sort());
    const headersAfter = JSON.stringify(Object.entries(after.mock.headers).sort());
    if (before.mock.status !== after.mock.status || headersBefore !== headersAfter) {
      add(
        'policy-mock-answer-changed',
        `${where}/mock`,
        before.mock.status === after.mock.status
          ? `Gap policy rule ${id}: the mock answers ${after.mock.status} with other headers (${headersAfter}), so frontends' tests that assert them break.`
          : `Gap policy rule ${id}: the mock answers ${after.mock.status} instead of ${before.mock.status}, so frontends' tests that assert it break.`,
        { clients: 'breaking', implementations: 'compatible' },
      );
    }
  }
  if (JSON.stringify(base.errorEnvelope ?? null) !== JSON.stringify(head.errorEnvelope ?? null)) {
    add(
      'policy-error-envelope-changed',
      '/errorEnvelope',
      `The gap policy's error envelope changed from ${JSON.stringify(base.errorEnvelope ?? 'none')} to ${JSON.stringify(head.errorEnvelope ?? 'none')}: every refusal has another shape.`,
      { clients: 'breaking', implementations: 'breaking' },
    );
  }
  if (base.maxRequestBodyBytes !== head.maxRequestBodyBytes) {
    const lowered = head.maxRequestBodyBytes < base.maxRequestBodyBytes;
    add(
      lowered ? 'policy-max-request-body-lowered' : 'policy-max-request-body-raised',
      '/maxRequestBodyBytes',
      `The gap policy's largest request body went from ${base.maxRequestBodyBytes} to ${head.maxRequestBodyBytes} bytes.`,
      // Lowered, bodies clients send may be refused; raised, implementations must accept bodies they refused.
      lowered ? { clients: 'breaking', implementations: 'compatible' } : { clients: 'compatible', implementations: 'breaking' },
    );
  }
  if (base.outsidePolicyStatus !== head.outsidePolicyStatus) {
    const stricter = head.outsidePolicyStatus === 'fail';
    add(
      'policy-outside-status-changed',
      '/outsidePolicyStatus',
      `The gap policy's outsidePolicyStatus went from ${base.outsidePolicyStatus} to ${head.outsidePolicyStatus}: a status outside a rule now ${stricter ? 'fails' : 'only warns'}.`,
      { clients: 'compatible', implementations: stricter ? 'breaking' : 'compatible' },
    );
  }
  return out;
}
