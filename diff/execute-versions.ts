// The execution check: what the text rules say, shown by running the kit itself. Clients built against BASE are
// the suite's cases built from BASE, sent to the mock serving HEAD and judged by BASE; implementations built to
// BASE are the mock serving BASE, sent HEAD's cases and judged by HEAD. Both mocks run in this process, on
// loopback. A check that also fails when a version judges its own mock is the kit's, not the change's, and is
// left out (the same run against the same version is the baseline).
import { type CaseResult, type ContractReport, checkImplementation } from '../contracts/index.ts';
import type { CaseKind, Contract } from '../engine/index.ts';
import { type RunningMock, startMock } from '../mock/index.ts';
import type { Side } from './classify-change.ts';
import type { ContractVersion } from './read-version.ts';

/** One request that shows a break: what was sent, what came, and what that breaks. */
export interface Disagreement {
  readonly side: Side;
  /** "POST /mfa/enable", when the case belongs to an operation. */
  readonly operation?: string;
  readonly caseId: string;
  /** positive (a valid request), negative or auth (a request meant to be refused). */
  readonly caseKind: CaseKind;
  /** The request as sent, without the mock's address: "POST /mfa/enable {"mfaType":"SMS"}". */
  readonly request: string;
  readonly status?: number;
  /** The broken checks' codes (STATUS_UNDOCUMENTED, BODY_SCHEMA_MISMATCH…) and their sentences. */
  readonly codes: readonly string[];
  readonly problems: readonly string[];
}

export interface Execution {
  /** Requests sent per side (the baselines not counted). */
  readonly sent: Readonly<Record<Side, number>>;
  readonly disagreements: readonly Disagreement[];
  /** Why a side sent nothing (a version without operations to build cases for). */
  readonly notRun: Readonly<Partial<Record<Side, string>>>;
}

/** Every credential a version's operations ask for, as values the mock accepts: nothing real is ever sent. */
function standInCredentials(contract: Contract): { token: string; credentials: Record<string, string> } {
  const credentials: Record<string, string> = {};
  for (const scheme of contract.operations.flatMap((operation) => operation.security.flat())) {
    if (scheme.kind === 'basic') credentials[scheme.name] = 'diff:stand-in';
  }
  return { token: 'diff-stand-in-token', credentials };
}

const TIMEOUT_MS = 10_000;

async function run(judgedBy: ContractVersion, contract: Contract, baseUrl: string): Promise<ContractReport> {
  return checkImplementation({
    baseUrl,
    ...standInCredentials(contract),
    timeoutMs: TIMEOUT_MS,
    strict: false,
    allowMutations: true,
    documentPath: judgedBy.documentPath,
    ...(judgedBy.policyPath === undefined ? {} : { policyPath: judgedBy.policyPath }),
  });
}

const failedChecks = (result: CaseResult) => result.checks.filter((check) => check.state === 'failed');

function operationOf(caseId: string): string | undefined {
  const [head] = caseId.split(' › ');
  return head !== undefined && /^[A-Z]+ \//.test(head) ? head : undefined;
}

/**
 * Sends each version's cases to the other version's mock. `contracts` are the two versions as loaded, which
 * name the credentials to stand in for.
 */
export async function executeVersions(
  versions: { readonly base: ContractVersion; readonly head: ContractVersion },
  contracts: { readonly base: Contract; readonly head: Contract },
): Promise<Execution> {
  const serve = (version: ContractVersion) =>
    startMock({
      host: '127.0.0.1',
      port: 0,
      watch: false,
      documentPath: version.documentPath,
      ...(version.policyPath === undefined ? {} : { policyPath: version.policyPath }),
    });
  const mocks: RunningMock[] = [];
  try {
    const baseMock = await serve(versions.base);
    mocks.push(baseMock);
    const headMock = await serve(versions.head);
    mocks.push(headMock);
    const sides: readonly { side: Side; judgedBy: 'base' | 'head'; other: string; own: string }[] = [
      { side: 'clients', judgedBy: 'base', other: headMock.url, own: baseMock.url },
      { side: 'implementations', judgedBy: 'head', other: baseMock.url, own: headMock.url },
    ];
    const disagreements: Disagreement[] = [];
    const sent = { clients: 0, implementations: 0 };
    const notRun: Partial<Record<Side, string>> = {};
    // One after another: two suites at once would only compete for the same two mocks.
    for (const { side, judgedBy, other, own } of sides) {
      const version = versions[judgedBy];
      const contract = contracts[judgedBy];
      const crossed = await run(version, contract, other);
      if (crossed.notJudged !== undefined) {
        // Nothing to send (a version without operations): this side is not exercised, and its unknown changes
        // stay unknown. It is said, never taken for agreement.
        notRun[side] = crossed.notJudged;
        continue;
      }
      const baseline = await run(version, contract, own);
      const failingAlone = new Set(
        baseline.cases.flatMap((result) => failedChecks(result).map((check) => `${result.id}\0${check.check}`)),
      );
      const sentCases = crossed.cases.filter((result) => result.exchange !== undefined);
      sent[side] = sentCases.length;
      for (const result of sentCases) {
        const broken = failedChecks(result).filter((check) => !failingAlone.has(`${result.id}\0${check.check}`));
        if (broken.length === 0 || result.exchange === undefined) continue;
        const { request, response } = result.exchange;
        const url = new URL(request.url);
        const body = request.body === undefined || request.body === '' ? '' : ` ${request.body}`;
        const operation = operationOf(result.id);
        disagreements.push({
          side,
          ...(operation ? { operation } : {}),
          caseId: result.id,
          caseKind: result.kind,
          request: request.raw ?? `${request.method} ${url.pathname}${url.search}${body}`,
          ...(response ? { status: response.status } : {}),
          codes: [...new Set(broken.flatMap((check) => check.violations.map((violation) => violation.code)))],
          problems: broken.flatMap((check) => check.violations.map((violation) => violation.message)),
        });
      }
    }
    return { sent, disagreements, notRun };
  } finally {
    await Promise.all(mocks.map((mock) => mock.close()));
  }
}
