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
import { DEFAULT_POLICY_LABEL, DOCUMENT_PATH, fileLabel, loadContract, policyFor } from '../openapi/index.ts';
import { createRedactor, type Redactor } from '../runtime/redact.ts';
import { callOperation, credentialSource, type Exchange } from './call-operation.ts';
import { type CredentialCarrier, describeUnsendableCredential, describeUnsendableToken } from './check-token.ts';
import { type ContractSettings, credentialVariable, isThisMachineUrl, settingsProblem } from './contract-settings.ts';

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
  /**
   * Set when the valid requests were held back (a host that is not this machine, no --allow-mutations): one
   * sentence saying that the success answers were not judged and how to judge them. The exit code stays 0 when
   * every check that ran holds.
   */
  readonly successNotJudged?: string;
  /** Set when a signal stopped the run: what was judged before it is kept, and the exit code is 2. */
  readonly interrupted?: string;
  /**
   * What the document uses that the engine passes over (callbacks, an XML body's schema, an unknown format): one
   * phrase each with its pointer. Listed in every report so that no silent subset reads as a full verdict.
   */
  readonly passedOver: readonly string[];
  readonly cases: readonly CaseResult[];
  readonly totals: Readonly<Record<CheckState, number>>;
}

/** 0: every check that ran holds; 1: the implementation breaks the contract; 2: nothing could be judged, or the run was interrupted. */
export function exitCodeFor(report: ContractReport): 0 | 1 | 2 {
  if (report.notJudged !== undefined || report.interrupted !== undefined) return 2;
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
  /** What the document uses that the engine passes over, for every report. */
  readonly passedOver: readonly string[];
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
  const unsendable = settings.token === undefined ? undefined : describeUnsendableToken(settings.token);
  if (unsendable) throw new CannotJudge(unsendable);
  const redactor = createRedactor({
    token: settings.token,
    urls: [settings.baseUrl],
    others: Object.values(settings.credentials ?? {}),
  });
  const { contract, context } = await loadChecks({ ...settings, redactor });
  const { documentLabel } = context;
  if (contract.operations.length === 0) throw new CannotJudge(`${documentLabel} documents no operation to check.`);
  checkCredentials(settings, contract, documentLabel);
  // Every operation that asks for credentials must get a valid set, or its valid requests judge nothing.
  const valueFor = credentialSource(settings);
  for (const operation of contract.operations) {
    if (applyCredentials(operation.security, (scheme) => valueFor(scheme)?.value, { headers: {}, query: new URLSearchParams() }))
      continue;
    const wanted = operation.security.map((alternative) => alternative.map((scheme) => scheme.name).join(' and ')).join(', or ');
    // CONTRACT_TOKEN can serve an alternative without a basic scheme; a basic one needs its user:password.
    const tokenWouldDo = operation.security.some((alternative) => alternative.every((scheme) => scheme.kind !== 'basic'));
    throw new CannotJudge(
      settings.token === undefined && tokenWouldDo
        ? `No token: set CONTRACT_TOKEN to a bearer token that ${host} accepts (it serves API keys too; --credential NAME=VALUE gives one scheme its own); ${operationLabel(operation)} needs ${wanted}, and without it every valid request is refused and nothing can be judged.`
        : `${operationLabel(operation)} needs ${wanted}, and no credential was given for it: pass --credential NAME=VALUE (for a basic scheme, VALUE is user:password).`,
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
    !settings.allowMutations && !(await isThisMachineUrl(settings.baseUrl))
      ? `could change state on ${redactor.text(host)}, which is not this machine; pass --allow-mutations to send them`
      : undefined;
  const passedOver = contract.notJudged.map(
    (feature) => `${feature.feature} at ${documentLabel}#${feature.pointer}: ${feature.advice}`,
  );
  return { settings, cases, ...(mutationsBlocked ? { mutationsBlocked } : {}), context, passedOver };
}

/**
 * Each --credential (or CONTRACT_CREDENTIAL_<NAME>) must name a security scheme of the document and be sendable
 * where that scheme puts it: a name that matches nothing, or an empty or malformed value, would otherwise read
 * as the implementation's fault (401s) or be ignored in silence.
 */
function checkCredentials(settings: ContractSettings, contract: Contract, documentLabel: string): void {
  const schemes = (contract.document.components?.securitySchemes ?? {}) as Record<
    string,
    { type?: string; in?: string; scheme?: string }
  >;
  const names = Object.keys(schemes);
  for (const [given, value] of Object.entries(settings.credentials ?? {})) {
    const name = names.find((candidate) => candidate === given || credentialVariable(candidate) === given);
    const scheme = name === undefined ? undefined : schemes[name];
    if (name === undefined || scheme === undefined) {
      throw new CannotJudge(
        `The credential ${given} (--credential or CONTRACT_CREDENTIAL_${given}) names no security scheme of ${documentLabel}; its schemes are: ${names.join(', ') || 'none'}.`,
      );
    }
    const carrier: CredentialCarrier =
      scheme.type === 'apiKey'
        ? scheme.in === 'query' || scheme.in === 'cookie'
          ? scheme.in
          : 'header'
        : String(scheme.scheme).toLowerCase() === 'basic'
          ? 'basic'
          : 'token';
    const problem = describeUnsendableCredential(name, carrier, value);
    if (problem) throw new CannotJudge(problem);
  }
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
      // The kit's own files by their place in the kit (openapi/flashback.yaml), however the kit was run (npx puts
      // it deep in a cache); any other file relative to the working directory, as the mock names them.
      documentLabel: fileLabel(contract.documentPath),
      policyLabel: policy.path === DEFAULT_POLICY_LABEL ? policy.path : fileLabel(policy.path),
      redactor: options.redactor,
    };
  } catch (error) {
    throw error instanceof ContractLoadError ? new CannotJudge(error.message) : error;
  }
  return { contract, context };
}

/** Sends one case's request with the run's token and timeout. */
function sendCase(run: PreparedRun, testCase: ContractCase, dispatcher: Dispatcher, signal?: AbortSignal): Promise<Exchange> {
  return callOperation(testCase.request, {
    baseUrl: run.settings.baseUrl,
    credentialFor: credentialSource(run.settings),
    timeoutMs: run.settings.timeoutMs,
    dispatcher,
    ...(signal ? { signal } : {}),
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
  return testCase.unbuildable !== undefined || (testCase.mutates && run.mutationsBlocked !== undefined);
}

/**
 * Sends `count` cases (the i-th is `caseAt(i)`) and judges each answer as it comes, `concurrency` in flight.
 * The first goes alone: when no connection can be made at all there is nothing to judge, and one sentence
 * (CannotJudge) says so instead of a failure per case. Once `signal` aborts, nothing more is sent, the requests
 * in flight are cut, and their answers are dropped unjudged: what onResult got is what was judged.
 */
export async function sendAndJudge(
  run: PreparedRun,
  count: number,
  caseAt: (index: number) => ContractCase | undefined,
  concurrency: number,
  onResult: (index: number, result: CaseResult) => void,
  signal?: AbortSignal,
): Promise<void> {
  // A short keep-alive, so that no connection outlives the run (undici's advice).
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 1000 });
  try {
    const first = caseAt(0);
    if (count === 0 || !first || signal?.aborted) return;
    const exchange = await sendCase(run, first, agent, signal);
    if (signal?.aborted) return;
    if (exchange.failure?.kind === 'unreachable') {
      throw new CannotJudge(
        `Could not reach ${run.context.redactor.text(run.settings.baseUrl)}: ${run.context.redactor.text(exchange.failure.message)}. Is the implementation running there?`,
      );
    }
    onResult(0, judgeExchange(run.context, first, exchange));
    let next = 1;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < count && !signal?.aborted; index = next++) {
        const testCase = caseAt(index);
        if (!testCase) continue;
        const sent = await sendCase(run, testCase, agent, signal);
        if (!signal?.aborted) onResult(index, judgeExchange(run.context, testCase, sent));
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
export async function checkImplementation(
  settings: ContractSettings,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ContractReport> {
  const started = performance.now();
  const heading = {
    baseUrl: showBaseUrl(settings),
    document: fileLabel(settings.documentPath),
    strict: settings.strict,
    startedAt: new Date().toISOString(),
  };
  // The whole report goes through the run's redactor once more, keys included, so that no sentence added after
  // judging can carry a secret into a report or a terminal.
  const finish = (report: ContractReport): ContractReport =>
    createRedactor({ token: settings.token, urls: [settings.baseUrl], others: Object.values(settings.credentials ?? {}) }).value(
      report,
    );
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
      options.signal,
    );
    const interrupted = options.signal?.aborted
      ? `The run was interrupted after ${results.size} of ${toSend.length} cases were judged; the rest were cut off or never sent, and the reports hold what was judged.`
      : undefined;
    // Cases held back outside this machine, or not sent before an interruption, are reported as skipped, with the reason.
    const cases = prepared.cases.map(
      (testCase): CaseResult =>
        results.get(testCase.id) ?? {
          id: testCase.id,
          kind: testCase.kind,
          checks: checksFor(testCase).map((check) => ({
            check,
            state: 'skipped',
            note:
              testCase.unbuildable ??
              ((isBlocked(prepared, testCase) && prepared.mutationsBlocked) ||
                (interrupted ? 'not judged: the run was interrupted' : 'not sent')),
            violations: [],
          })),
        },
    );
    const totals = countStates(cases);
    const judged = totals.passed + totals.warned + totals.failed;
    const heldBack = prepared.cases.filter(
      (c) => c.kind === 'positive' && c.unbuildable === undefined && isBlocked(prepared, c),
    ).length;
    const notJudged =
      judged === 0
        ? (interrupted ?? `No check could run against ${heading.baseUrl}: every case was skipped.`)
        : tokenRefused(prepared, cases);
    return finish({
      ...heading,
      durationMs: performance.now() - started,
      ...(notJudged === undefined ? {} : { notJudged }),
      ...(heldBack > 0 && prepared.mutationsBlocked
        ? {
            successNotJudged: `The success answers were not judged: ${heldBack} valid request(s) were held back, as they ${prepared.mutationsBlocked}.`,
          }
        : {}),
      ...(interrupted === undefined ? {} : { interrupted }),
      passedOver: prepared.passedOver,
      cases,
      totals,
    });
  } catch (error) {
    if (!(error instanceof CannotJudge)) throw error;
    return finish({
      ...heading,
      durationMs: performance.now() - started,
      notJudged: error.message,
      passedOver: [],
      cases: [],
      totals: noStates(),
    });
  }
}

/**
 * One sentence when the token was refused: every valid request sent with it (or, when those were held back,
 * every request sent with it) got 401 or 403. Nothing on the success path was judged then, and those statuses
 * say the token is wrong or expired, not that the implementation breaks the contract.
 */
function tokenRefused(prepared: PreparedRun, cases: readonly CaseResult[]): string | undefined {
  const statusOf = new Map(cases.map((c) => [c.id, c.exchange?.response?.status]));
  const withToken = prepared.cases.filter(
    (c) => c.request.withCredentials && c.request.security.length > 0 && statusOf.get(c.id) !== undefined,
  );
  const valid = withToken.filter((c) => c.kind === 'positive');
  const asked = valid.length > 0 ? valid : withToken;
  const statuses = asked.map((c) => statusOf.get(c.id));
  if (statuses.length === 0 || !statuses.every((status) => status === 401 || status === 403)) return undefined;
  const counts = [401, 403].flatMap((status) => {
    const count = statuses.filter((s) => s === status).length;
    return count === 0 ? [] : [`${status} (${count})`];
  });
  const what = valid.length > 0 ? 'valid requests' : 'requests';
  return `The token was refused: all ${statuses.length} ${what} sent with it got ${counts.join(' or ')}, so no success answer could be judged; set CONTRACT_TOKEN to a token that ${new URL(prepared.settings.baseUrl).host} accepts.`;
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
