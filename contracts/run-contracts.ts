import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ContractLoadError, DOCUMENT_PATH, GAP_POLICY_PATH, loadContract, loadGapPolicy } from '../openapi/index.ts';
import { type CliOutcome, runCli } from '../scripts/run-cli.ts';
import { type ContractSettings, isLoopbackUrl } from './contract-settings.ts';
import { describeLoadReport, runLoad } from './run-load.ts';
import { SummaryReporter } from './summary-reporter.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const USAGE = `Usage: npm run contracts -- --base-url URL [--token TOKEN] [--timeout MS] [--strict] [--report-dir DIR] [--allow-mutations]

Checks an implementation of openapi/flashback.yaml against the contract and the gap policy.
  --base-url URL      the implementation's base URL (or CONTRACT_BASE_URL)
  --token TOKEN       a bearer token it accepts (or CONTRACT_TOKEN); never printed
  --timeout MS        per-request timeout in milliseconds (default 10000)
  --strict            statuses outside the gap policy fail instead of warn
  --report-dir DIR    write junit.xml and report.json (every request and response) there
  --allow-mutations   run the cases that enable MFA even when the host is not loopback
  --contract PATH     another version of the OpenAPI document (default openapi/flashback.yaml)
  --load N            instead of the cases: send N valid requests and check every answer
  --concurrency C     with --load, how many requests are in flight at once (default 10)
Exit codes: 0 every check holds, 1 a check failed, 2 usage error.`;

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
  load: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Reads flags and environment into settings; throws UsageError with a sentence for anything wrong. */
export function readContractSettings(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
):
  | { help: true }
  | { help: false; settings: ContractSettings; reportDir?: string; load?: { total: number; concurrency: number } } {
  const values = parseFlags(args);
  if (values.help) return { help: true };
  const baseUrl = values['base-url'] ?? env.CONTRACT_BASE_URL;
  if (!baseUrl) throw new UsageError('No base URL: pass --base-url URL or set CONTRACT_BASE_URL.');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new UsageError(`The base URL "${baseUrl}" is not an absolute URL; expected e.g. http://127.0.0.1:4010.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`The base URL must use http or https; got "${parsed.protocol}".`);
  }
  const rawTimeout = values.timeout ?? '10000';
  const timeoutMs = Number(rawTimeout);
  if (!/^\d+$/.test(rawTimeout) || timeoutMs < 1) {
    throw new UsageError(`--timeout must be a whole number of milliseconds above 0; got "${rawTimeout}".`);
  }
  const token = values.token ?? env.CONTRACT_TOKEN;
  const settings: ContractSettings = {
    baseUrl: parsed.href,
    timeoutMs,
    strict: values.strict,
    allowMutations: values['allow-mutations'],
    documentPath: values.contract ? resolve(values.contract) : DOCUMENT_PATH,
    policyPath: GAP_POLICY_PATH,
    ...(token ? { token } : {}),
  };
  const load = readLoad(values.load, values.concurrency);
  if (load && !settings.allowMutations && !isLoopbackUrl(settings.baseUrl)) {
    throw new UsageError(
      `--load sends valid requests, which enable MFA on the account behind the token at ${parsed.host}, which is not loopback; pass --allow-mutations to do it.`,
    );
  }
  return {
    help: false,
    settings,
    ...(values['report-dir'] ? { reportDir: resolve(values['report-dir']) } : {}),
    ...(load ? { load } : {}),
  };
}

function readLoad(
  rawTotal: string | undefined,
  rawConcurrency: string | undefined,
): { total: number; concurrency: number } | undefined {
  if (rawTotal === undefined) {
    if (rawConcurrency !== undefined) throw new UsageError('--concurrency goes with --load N.');
    return undefined;
  }
  const whole = (raw: string, flag: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} must be a whole number above 0; got "${raw}".`);
    return Number(raw);
  };
  return { total: whole(rawTotal, '--load'), concurrency: whole(rawConcurrency ?? '10', '--concurrency') };
}

/** Runs the contract suite through vitest's Node API; resolves to the run's exit code. */
export async function runContracts(settings: ContractSettings, reportDir?: string): Promise<number> {
  // Load both once here, so that an unreadable document is a usage error (exit 2), not a failed test.
  await loadContract(settings.documentPath);
  loadGapPolicy(settings.policyPath);
  // Loaded here rather than at the top, so that --help and usage errors answer without starting vitest.
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: ROOT,
      include: ['contracts/operations.contract.ts'],
      watch: false,
      // Every exchange already has its own timeout; this only guards against a bug of ours.
      testTimeout: settings.timeoutMs + 10_000,
      provide: { contractSettings: settings },
      reporters: [
        'default',
        new SummaryReporter({ baseUrl: settings.baseUrl, strict: settings.strict, ...(reportDir ? { reportDir } : {}) }),
        ...(reportDir ? ['junit'] : []),
      ],
      ...(reportDir ? { outputFile: { junit: resolve(reportDir, 'junit.xml') } } : {}),
    },
    // The contract run needs none of vite's dev-server machinery.
    { server: { watch: null } },
  );
  const failed = vitest.state.getCountOfFailedTests() > 0 || vitest.state.getUnhandledErrors().length > 0;
  await vitest.close();
  return failed ? 1 : 0;
}

runCli(import.meta.url, async (): Promise<CliOutcome> => {
  let parsed: ReturnType<typeof readContractSettings>;
  try {
    parsed = readContractSettings(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: 2, lines: [`✘ ${error.message}`, 'Run with --help for usage.'] };
    throw error;
  }
  if (parsed.help) return { exitCode: 0, lines: [USAGE] };
  try {
    if (parsed.load) {
      const report = await runLoad(parsed.settings, parsed.load.total, parsed.load.concurrency);
      return { exitCode: report.failedRequests > 0 ? 1 : 0, lines: describeLoadReport(report, parsed.settings.baseUrl) };
    }
    const exitCode = await runContracts(parsed.settings, parsed.reportDir);
    return { exitCode, lines: [] };
  } catch (error) {
    if (error instanceof ContractLoadError) return { exitCode: 2, lines: [`✘ ${error.message}`] };
    throw error;
  }
});
