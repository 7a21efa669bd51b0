import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DOCUMENT_PATH } from '../openapi/index.ts';
import { describeFlagError } from '../runtime/describe-flag-error.ts';
import { type CliOutcome, EXIT_NOT_JUDGED } from '../runtime/run-cli.ts';
import { checkImplementation, exitCodeFor } from './check-implementation.ts';
import { type ContractSettings, settingsProblem } from './contract-settings.ts';
import { formatStepSummary } from './format-step-summary.ts';
import { formatSummary } from './format-summary.ts';
import { describeLoadReport, loadExitCode, MAX_CONCURRENCY, runLoad } from './run-load.ts';
import { appendStepSummary, prepareReportDir, prepareStepSummary, UnwritableOutput, writeReports } from './write-reports.ts';

export const CHECK_USAGE = `Usage: CONTRACT_TOKEN=… flashback-contract check --base-url URL [--timeout MS] [--strict] [--report-dir DIR] [--allow-mutations]

Checks an implementation of openapi/flashback.yaml against the contract and the gap policy (in this
repository: npm run contracts -- …).
  --base-url URL      the implementation's base URL (or CONTRACT_BASE_URL)
  --token TOKEN       a bearer token it accepts; prefer CONTRACT_TOKEN, since a command line is printed and shown
  --timeout MS        per-request timeout in milliseconds (default 10000)
  --strict            statuses outside the gap policy and refusals outside the error envelope fail instead of warn
  --report-dir DIR    write junit.xml and report.json (every request and response) there
  --allow-mutations   send the requests that could change state (the valid ones) even when the host is not this machine
  --contract PATH     another OpenAPI 3.0/3.1 document (default openapi/flashback.yaml)
  --policy PATH       its gap policy (default: the kit's own for the kit's document, the default policy for another)
  --credential NAME=VALUE  a credential for the security scheme NAME (an API key; user:password for basic);
                      or CONTRACT_CREDENTIAL_<NAME>. CONTRACT_TOKEN serves every bearer-like scheme and API key
  --load N            instead of the cases: send N valid requests and check every answer
  --concurrency C     with --load, how many requests are in flight at once (default 10, at most ${MAX_CONCURRENCY})
Exit codes: 0 every check that ran holds (the closing line says when the success answers were not judged),
1 the implementation breaks the contract, 2 nothing could be judged or the run was interrupted (Ctrl-C).`;

/** A usage error: reported as one sentence and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  'base-url': { type: 'string' },
  token: { type: 'string' },
  timeout: { type: 'string' },
  strict: { type: 'boolean', default: false },
  'report-dir': { type: 'string' },
  'allow-mutations': { type: 'boolean', default: false },
  contract: { type: 'string' },
  policy: { type: 'string' },
  credential: { type: 'string', multiple: true },
  load: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface ContractCommand {
  readonly settings: ContractSettings;
  readonly reportDir?: string;
  readonly load?: { readonly total: number; readonly concurrency: number };
  /** Lines to print before the run: notes on how the command was given. */
  readonly notes: readonly string[];
  /** A file to append a Markdown summary to: GITHUB_STEP_SUMMARY, when a CI job sets it. */
  readonly stepSummary?: string;
}

/** Reads flags and environment into a command; throws UsageError with a sentence for anything wrong. */
export function readContractCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { help: true } | ({ help: false } & ContractCommand) {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(describeFlagError(error as Error, Object.keys(OPTIONS)));
  }
  if (values.help) return { help: true };
  const baseUrl = values['base-url'] ?? env.CONTRACT_BASE_URL;
  if (!baseUrl) throw new UsageError('No base URL: pass --base-url URL or set CONTRACT_BASE_URL.');
  const token = values.token ?? env.CONTRACT_TOKEN;
  const settings: ContractSettings = {
    baseUrl,
    timeoutMs: wholeNumber(values.timeout ?? '10000', '--timeout'),
    strict: values.strict,
    allowMutations: values['allow-mutations'],
    documentPath: values.contract ? resolve(values.contract) : DOCUMENT_PATH,
    ...(values.policy === undefined ? {} : { policyPath: resolve(nonEmpty(values.policy, '--policy')) }),
    ...(token ? { token } : {}),
    ...credentialsFrom(values.credential ?? [], env),
  };
  const problem = settingsProblem(settings);
  if (problem) throw new UsageError(problem);
  if (values.load === undefined && values.concurrency !== undefined) throw new UsageError('--concurrency goes with --load N.');
  if (values['report-dir'] === '') throw new UsageError('--report-dir needs a directory; got an empty string.');
  if (values.contract === '') throw new UsageError('--contract needs the path of an OpenAPI document; got an empty string.');
  if (values.load !== undefined && values['report-dir'] !== undefined) {
    throw new UsageError('--report-dir goes with the cases; --load prints its report instead.');
  }
  const load =
    values.load === undefined
      ? undefined
      : { total: wholeNumber(values.load, '--load'), concurrency: wholeNumber(values.concurrency ?? '10', '--concurrency') };
  if (load && load.concurrency > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, as each request in flight holds a connection; got "${values.concurrency}".`,
    );
  }
  return {
    help: false,
    settings,
    notes:
      values.token === undefined
        ? []
        : [
            '[contracts] note: --token puts the token on the command line, which npm prints and ps shows; set CONTRACT_TOKEN instead.',
          ],
    ...(values['report-dir'] ? { reportDir: resolve(values['report-dir']) } : {}),
    ...(load ? { load } : {}),
    ...(env.GITHUB_STEP_SUMMARY ? { stepSummary: env.GITHUB_STEP_SUMMARY } : {}),
  };
}

function nonEmpty(value: string, flag: string): string {
  if (value === '') throw new UsageError(`${flag} needs a path; got an empty one.`);
  return value;
}

/** --credential NAME=VALUE flags, then CONTRACT_CREDENTIAL_<NAME> variables, by scheme name. */
function credentialsFrom(flags: readonly string[], env: NodeJS.ProcessEnv): { credentials?: Record<string, string> } {
  const credentials: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('CONTRACT_CREDENTIAL_') && value !== undefined)
      credentials[name.slice('CONTRACT_CREDENTIAL_'.length)] = value;
  }
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    if (equals < 1) throw new UsageError('--credential takes NAME=VALUE, NAME being a security scheme of the document.');
    credentials[flag.slice(0, equals)] = flag.slice(equals + 1);
  }
  return Object.keys(credentials).length === 0 ? {} : { credentials };
}

function wholeNumber(raw: string, flag: string): number {
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} must be a whole number above 0; got "${raw}".`);
  return Number(raw);
}

/**
 * Runs the command: sends the cases (or the load), writes the reports, and returns the exit code and lines.
 * When `signal` aborts (Ctrl-C), the run stops sending and writes what it judged, marked interrupted (exit 2).
 */
export async function runContracts(
  command: ContractCommand,
  print: (line: string) => void,
  signal?: AbortSignal,
): Promise<CliOutcome> {
  for (const note of command.notes) print(note);
  if (command.load) {
    const report = await runLoad(command.settings, command.load.total, command.load.concurrency, signal);
    if (report.notJudged !== undefined) return { exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${report.notJudged}`] };
    for (const line of describeLoadReport(report)) print(line);
    return { exitCode: loadExitCode(report), lines: [] };
  }
  if (command.reportDir) prepareReportDir(command.reportDir);
  if (command.stepSummary) prepareStepSummary(command.stepSummary);
  const report = await checkImplementation(command.settings, signal ? { signal } : {});
  // A run that judged nothing writes its reports too: junit.xml then holds one error saying why, so that a CI
  // server shows that sentence rather than an empty file.
  if (command.reportDir) writeReports(report, command.reportDir);
  if (command.stepSummary) appendStepSummary(command.stepSummary, formatStepSummary(report));
  if (report.notJudged !== undefined) return { exitCode: EXIT_NOT_JUDGED, lines: formatSummary(report) };
  for (const line of formatSummary(report)) print(line);
  if (command.reportDir) print(`[contracts] wrote ${command.reportDir}/junit.xml and report.json`);
  return { exitCode: exitCodeFor(report), lines: [] };
}

/**
 * `flashback-contract check` (and `npm run contracts`): judges an implementation and returns the exit code; the
 * lines written as the run goes are printed with `print` (stdout).
 */
export async function checkCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<CliOutcome> {
  try {
    const command = readContractCommand(args, env);
    if (command.help) return { exitCode: 0, lines: [CHECK_USAGE] };
    // The first SIGINT or SIGTERM stops the run and lets it write what it judged; the listeners are gone by
    // then, so a second one ends the process at once.
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await runContracts(command, print, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      return { exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${error.message}`, 'Run with --help for usage.'] };
    }
    if (error instanceof UnwritableOutput) return { exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${error.message}`] };
    throw error;
  }
}
