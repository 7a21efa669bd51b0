import { relative } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import {
  applyCredentials,
  buildCases,
  type CaseKind,
  CHECKS,
  type CheckContext,
  type CheckName,
  type Contract,
  type ContractCase,
  ContractLoadError,
  checksFor,
  envelopeFor,
  type GapPolicy,
  type JudgedCase,
  operationLabel,
  runCheck,
  type Violation,
  validatorCache,
} from '../engine/index.ts';
import { DOCUMENT_PATH, loadContract, policyFor } from '../openapi/index.ts';
import { createRedactor, type Redactor } from '../runtime/redact.ts';
import { callOperation, credentialSource, type Exchange } from './call-operation.ts';
import { describeUnsendableToken } from './check-token.ts';
import { type ContractSettings, isLoopbackUrl, settingsProblem } from './contract-settings.ts';

export type CheckState = 'passed' | 'failed' | 'warned' | 'skipped';

/** The states in the order every report lists them. */
export const CHECK_STATES: readonly CheckState[] = ['passed', 'failed', 'warned', 'skipped'];

/** One check on one case: its state, the violations behind a failure or a warning, and why it was skipped. */
export interface CheckResult {
  readonly check: CheckName;
  readonly state: CheckState;
  readonly note?: string;
  readonly violations: readonly Violation[];
}

export interface CaseResult {
  readonly id: string;
  readonly kind: CaseKind;
  /** What was sent and what came back, redacted; absent when the case was not sent. */
  readonly exchange?: Exchange;
  readonly checks: readonly CheckResult[];
}

/** Everything a contract run found, as plain values (redacted): the exit code and every report come from it. */
export interface ContractReport {
  /** The base URL as shown: a password in it is redacted. */
  readonly baseUrl: string;
  readonly document: string;
  readonly strict: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Set when nothing could be judged: one sentence saying why. */
  readonly notJudged?: string;
  readonly cases: readonly CaseResult[];
  readonly totals: Readonly<Record<CheckState, number>>;
}

/** 0: every check holds; 1: the implementation breaks the contract; 2: nothing could be judged. */
export function exitCodeFor(report: ContractReport): 0 | 1 | 2 {
  if (report.notJudged !== undefined) return 2;
  return report.totals.failed > 0 ? 1 : 0;
}

/** A run that cannot judge anything: usage, environment, an unreachable implementation. Never about the contract. */
export class CannotJudge extends Error {
  override readonly name = 'CannotJudge';
}

/** A run whose document, policy, cases and secrets are ready: the steps every front-end shares. */
export interface PreparedRun {
  readonly settings: ContractSettings;
  readonly cases: readonly ContractCase[];
  /** What the checks need, the run's redactor among it. */
  readonly context: CheckContext & { readonly redactor: Redactor };
  /** Why cases that change state are not sent, when they are not (a host outside loopback). */
  readonly mutationsBlocked?: string;
}

/** How many requests a run keeps in flight: enough to be quick, few enough for a small development server. */
const IN_FLIGHT = 8;

/** Loads the document and the gap policy, builds the cases, and checks what must hold before anything is sent. */
export async function prepareRun(settings: ContractSettings): Promise<PreparedRun> {
  const problem = settingsProblem(settings);
  if (problem) throw new CannotJudge(problem);
  const host = new URL(settings.baseUrl).host;
  for (const value of [settings.token, ...Object.values(settings.credentials ?? {})]) {
    const unsendable = value === undefined ? undefined : describeUnsendableToken(value);
    if (unsendable) throw new CannotJudge(unsendable);
  }
  const redactor = createRedactor({
    token: settings.token,
    urls: [settings.baseUrl],
    others: Object.values(settings.credentials ?? {}),
  });
  const { contract, context } = await loadChecks({ ...settings, redactor });
  const { documentLabel } = context;
  if (contract.operations.length === 0) throw new CannotJudge(`${documentLabel} documents no operation to check.`);
  // Every operation that asks for credentials must get a valid set, or its valid requests judge nothing.
  const valueFor = credentialSource(settings);
  for (const operation of contract.operations) {
    if (applyCredentials(operation.security, (scheme) => valueFor(scheme)?.value, { headers: {}, query: new URLSearchParams() }))
      continue;
    const wanted = operation.security.map((alternative) => alternative.map((scheme) => scheme.name).join(' and ')).join(', or ');
    throw new CannotJudge(
      settings.token === undefined
        ? `No token: set CONTRACT_TOKEN to a bearer token that ${host} accepts (it serves API keys too; --credential NAME=VALUE gives one scheme its own); ${operationLabel(operation)} needs ${wanted}, and without it every valid request is refused and nothing can be judged.`
        : `${operationLabel(operation)} needs ${wanted}, and no credential was given for it: pass --credential NAME=VALUE (for basic, VALUE is user:password).`,
    );
  }
  let cases: ContractCase[];
  try {
    cases = buildCases(contract, context.policy);
  } catch (error) {
    throw new CannotJudge(`No cases can be built from ${documentLabel}: ${(error as Error).message}.`);
  }
  if (cases.length === 0) throw new CannotJudge(`${documentLabel} documents no operation to check.`);
  const mutationsBlocked =
    !settings.allowMutations && !isLoopbackUrl(settings.baseUrl)
      ? `could change state on ${redactor.text(host)}, which is not loopback; pass --allow-mutations to send it`
      : undefined;
  return { settings, cases, ...(mutationsBlocked ? { mutationsBlocked } : {}), context };
}

/**
 * Loads the document and the gap policy, and what every check needs from them; CannotJudge when either cannot
 * be used. The proxy keeps one for its life and swaps the redactor per exchange.
 */
export async function loadChecks(options: {
  readonly documentPath: string;
  /** Default: the kit's policy for the kit's document, the default policy for any other. */
  readonly policyPath?: string | undefined;
  readonly strict: boolean;
  readonly redactor: Redactor;
}): Promise<{ contract: Contract; context: CheckContext & { readonly redactor: Redactor } }> {
  let contract: Contract;
  let policy: GapPolicy;
  let context: CheckContext & { readonly redactor: Redactor };
  try {
    policy = policyFor(options.documentPath, options.policyPath);
    // The kit's own document is validated by lint:contract in every npm test, and ships validated; validating
    // it again costs a third of a run (compiling the OpenAPI 3.1 meta-schema). Any other document is validated.
    contract = await loadContract(options.documentPath, { validate: options.documentPath !== DOCUMENT_PATH });
    context = {
      policy,
      envelope: envelopeFor(contract, policy),
      strict: options.strict,
      validatorFor: validatorCache(),
      documentLabel: relative(process.cwd(), contract.documentPath),
      policyLabel:
        options.policyPath === undefined && options.documentPath !== DOCUMENT_PATH
          ? policy.path
          : relative(process.cwd(), policy.path),
      redactor: options.redactor,
    };
  } catch (error) {
    throw error instanceof ContractLoadError ? new CannotJudge(error.message) : error;
  }
  return { contract, context };
}

/** Sends one case's request with the run's token and timeout. */
function sendCase(run: PreparedRun, testCase: ContractCase, dispatcher: Dispatcher): Promise<Exchange> {
  return callOperation(testCase.request, {
    baseUrl: run.settings.baseUrl,
    credentialFor: credentialSource(run.settings),
    timeoutMs: run.settings.timeoutMs,
    dispatcher,
  });
}

/** Runs every check of a case on its exchange; the result is redacted by the context's redactor, ready to show or store. */
export function judgeExchange(
  context: CheckContext & { readonly redactor: Redactor },
  testCase: JudgedCase & { readonly id: string },
  exchange: Exchange,
): CaseResult {
  const checks = checksFor(testCase).map((check): CheckResult => {
    const outcome = runCheck(check, testCase, exchange, context);
    if (outcome.kind === 'fail') return { check, state: 'failed', violations: outcome.violations };
    if (outcome.kind === 'skip') return { check, state: 'skipped', note: outcome.reason, violations: [] };
    return { check, state: outcome.warnings.length > 0 ? 'warned' : 'passed', violations: outcome.warnings };
  });
  return context.redactor.value({ id: testCase.id, kind: testCase.kind, exchange, checks });
}

/** Whether a case may be sent: one that could change state waits for --allow-mutations outside loopback. */
export function isBlocked(run: PreparedRun, testCase: ContractCase): boolean {
  return testCase.mutates && run.mutationsBlocked !== undefined;
}

/**
 * Sends `count` cases (the i-th is `caseAt(i)`) and judges each answer as it comes, `concurrency` in flight.
 * The first goes alone: when no connection can be made at all there is nothing to judge, and one sentence
 * (CannotJudge) says so instead of a failure per case.
 */
export async function sendAndJudge(
  run: PreparedRun,
  count: number,
  caseAt: (index: number) => ContractCase | undefined,
  concurrency: number,
  onResult: (index: number, result: CaseResult) => void,
): Promise<void> {
  // A short keep-alive, so that no connection outlives the run (undici's advice).
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 1000 });
  try {
    const first = caseAt(0);
    if (count === 0 || !first) return;
    const exchange = await sendCase(run, first, agent);
    if (exchange.failure?.kind === 'unreachable') {
      throw new CannotJudge(
        `Could not reach ${run.context.redactor.text(run.settings.baseUrl)}: ${run.context.redactor.text(exchange.failure.message)}. Is the implementation running there?`,
      );
    }
    onResult(0, judgeExchange(run.context, first, exchange));
    let next = 1;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < count; index = next++) {
        const testCase = caseAt(index);
        if (testCase) onResult(index, judgeExchange(run.context, testCase, await sendCase(run, testCase, agent)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count - 1) }, worker));
  } finally {
    await agent.close();
  }
}

/** The base URL as every output shows it: with its password, if any, redacted. */
export function showBaseUrl(settings: Pick<ContractSettings, 'baseUrl' | 'token'>): string {
  return createRedactor({ token: settings.token, urls: [settings.baseUrl] }).text(settings.baseUrl);
}

/**
 * The contract check, with no test runner in it: loads the document and the gap policy, builds the cases, sends
 * them to the implementation, runs the named checks and returns everything as values.
 */
export async function checkImplementation(settings: ContractSettings): Promise<ContractReport> {
  const started = performance.now();
  const heading = {
    baseUrl: showBaseUrl(settings),
    document: relative(process.cwd(), settings.documentPath),
    strict: settings.strict,
    startedAt: new Date().toISOString(),
  };
  try {
    const prepared = await prepareRun(settings);
    const results = new Map<string, CaseResult>();
    const toSend = prepared.cases.filter((testCase) => !isBlocked(prepared, testCase));
    await sendAndJudge(
      prepared,
      toSend.length,
      (index) => toSend[index],
      IN_FLIGHT,
      (_index, result) => {
        results.set(result.id, result);
      },
    );
    // Cases held back outside loopback are reported as skipped, with the reason.
    const cases = prepared.cases.map(
      (testCase): CaseResult =>
        results.get(testCase.id) ?? {
          id: testCase.id,
          kind: testCase.kind,
          checks: checksFor(testCase).map((check) => ({
            check,
            state: 'skipped',
            note: prepared.mutationsBlocked ?? 'not sent',
            violations: [],
          })),
        },
    );
    const totals = countStates(cases);
    const judged = totals.passed + totals.warned + totals.failed;
    return {
      ...heading,
      durationMs: performance.now() - started,
      ...(judged === 0 ? { notJudged: `No check could run against ${heading.baseUrl}: every case was skipped.` } : {}),
      cases,
      totals,
    };
  } catch (error) {
    if (!(error instanceof CannotJudge)) throw error;
    return {
      ...heading,
      durationMs: performance.now() - started,
      notJudged: error.message,
      cases: [],
      totals: noStates(),
    };
  }
}

function countStates(cases: readonly CaseResult[]): Record<CheckState, number> {
  const totals = noStates();
  for (const testCase of cases) for (const check of testCase.checks) totals[check.state] += 1;
  return totals;
}

function noStates(): Record<CheckState, number> {
  return { passed: 0, failed: 0, warned: 0, skipped: 0 };
}

/** How many cases each check passed, failed, warned on and skipped, for the checks the run had, in CHECKS order. */
export function countByCheck(report: ContractReport): [CheckName, Record<CheckState, number>][] {
  const counts = new Map<CheckName, Record<CheckState, number>>();
  for (const testCase of report.cases) {
    for (const result of testCase.checks) {
      const row = counts.get(result.check) ?? noStates();
      row[result.state] += 1;
      counts.set(result.check, row);
    }
  }
  return CHECKS.flatMap((check) => {
    const row = counts.get(check);
    return row ? [[check, row]] : [];
  });
}
