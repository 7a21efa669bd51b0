import type { ViolationCode } from '../engine/index.ts';
import { CannotJudge, type CaseResult, isBlocked, prepareRun, sendAndJudge, showBaseUrl } from './check-implementation.ts';
import type { ContractSettings } from './contract-settings.ts';
import { describeViolation } from './describe-violation.ts';

/** The most requests --load keeps in flight: each holds a connection and a socket, and no development server needs more. */
export const MAX_CONCURRENCY = 1000;

export interface LoadReport {
  /** The base URL as shown: a password in it is redacted. */
  readonly baseUrl: string;
  readonly requests: number;
  readonly concurrency: number;
  readonly wallMs: number;
  /** Set when nothing could be judged: one sentence saying why. */
  readonly notJudged?: string;
  /** Set when a signal stopped the run: the counts are of the requests judged before it; exit code 2. */
  readonly interrupted?: string;
  /** Requests whose answer broke the contract, by code. */
  readonly violations: Readonly<Partial<Record<ViolationCode, number>>>;
  /** Timeouts and dropped connections. */
  readonly errors: number;
  /** Requests with at least one violation, errors included. */
  readonly failedRequests: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** The first violation of each code, described as the normal run describes it (redacted). */
  readonly examples: readonly string[];
}

/**
 * Sends `total` valid requests with `concurrency` in flight, cycling through the document's positive cases, and
 * judges every answer with the normal run's steps. Many servers keep their contract one request at a time and
 * break it under concurrency (a proxy's 502, an HTML error page, a cut-off body): this finds that.
 */
export async function runLoad(
  settings: ContractSettings,
  total: number,
  concurrency: number,
  signal?: AbortSignal,
): Promise<LoadReport> {
  const started = performance.now();
  const violations: Partial<Record<ViolationCode, number>> = {};
  const examples = new Map<ViolationCode, string>();
  const latencies: number[] = [];
  let errors = 0;
  let failedRequests = 0;
  let judged = 0;
  const refusals = new Map<number, number>();
  const report = (notJudged?: string): LoadReport => {
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    return {
      baseUrl: showBaseUrl(settings),
      requests: total,
      concurrency,
      wallMs: performance.now() - started,
      ...(notJudged === undefined ? {} : { notJudged }),
      ...(signal?.aborted && notJudged === undefined
        ? { interrupted: `The run was interrupted after ${judged} of ${total} requests were judged.` }
        : {}),
      violations,
      errors,
      failedRequests,
      latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN },
      examples: [...examples.values()],
    };
  };
  const record = (index: number, result: CaseResult): void => {
    judged += 1;
    const { exchange } = result;
    if (exchange?.response) latencies.push(exchange.response.durationMs);
    else errors += 1;
    const status = exchange?.response?.status;
    if (status === 401 || status === 403) refusals.set(status, (refusals.get(status) ?? 0) + 1);
    const codes = new Set<ViolationCode>();
    for (const check of result.checks) {
      if (check.state !== 'failed') continue;
      for (const violation of check.violations) {
        codes.add(violation.code);
        if (!examples.has(violation.code) && exchange) {
          examples.set(violation.code, describeViolation(`${result.id} (request ${index + 1})`, violation, exchange));
        }
      }
    }
    for (const code of codes) violations[code] = (violations[code] ?? 0) + 1;
    if (codes.size > 0) failedRequests += 1;
  };

  try {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new CannotJudge(
        `The concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, as each request in flight holds a connection; got ${concurrency}.`,
      );
    }
    const run = await prepareRun(settings);
    const cases = run.cases.filter((c) => c.kind === 'positive' && !isBlocked(run, c));
    if (cases.length === 0) {
      throw new CannotJudge(
        run.mutationsBlocked
          ? `--load sends valid requests, which ${run.mutationsBlocked}.`
          : 'The document gives no valid request to send under load.',
      );
    }
    await sendAndJudge(run, total, (index) => cases[index % cases.length], concurrency, record, signal);
    if (signal?.aborted && judged === 0) throw new CannotJudge('The run was interrupted before any answer was judged.');
    const refused = [...refusals.values()].reduce((sum, count) => sum + count, 0);
    if (refused > 0 && refused === latencies.length) {
      // Every answer a 401 or 403 to a request sent with the token: the token is wrong, not the contract.
      const statuses = [...refusals].map(([code, count]) => `${code} (${count})`).join(' or ');
      throw new CannotJudge(
        `The token was refused: all ${refused} valid requests sent with it got ${statuses}, so no success answer could be judged; set CONTRACT_TOKEN to a token that ${new URL(settings.baseUrl).host} accepts.`,
      );
    }
    return report();
  } catch (error) {
    if (error instanceof CannotJudge) return report(error.message);
    throw error;
  }
}

/** 0: every answer kept the contract; 1: some did not; 2: nothing could be judged, or the run was interrupted. */
export function loadExitCode(report: LoadReport): 0 | 1 | 2 {
  if (report.notJudged !== undefined || report.interrupted !== undefined) return 2;
  return report.failedRequests > 0 ? 1 : 0;
}

/** The report as printed: totals, latency percentiles, then one described example per violation code. */
export function describeLoadReport(report: LoadReport): string[] {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  return [
    `[contracts] load: ${report.requests} valid requests, ${report.concurrency} in flight, against ${report.baseUrl}, in ${(report.wallMs / 1000).toFixed(1)} s`,
    `[contracts] latency p50 ${ms(report.latencyMs.p50)}, p90 ${ms(report.latencyMs.p90)}, p99 ${ms(report.latencyMs.p99)}, max ${ms(report.latencyMs.max)}`,
    `[contracts] errors (timeouts, dropped connections): ${report.errors}`,
    ...Object.entries(report.violations).map(([code, count]) => `[contracts] ${code}: ${count} of ${report.requests} requests`),
    ...report.examples.flatMap((example) => ['', example]),
    '',
    report.interrupted === undefined
      ? `contracts: ${report.requests - report.failedRequests} passed, ${report.failedRequests} failed`
      : `contracts: ${report.failedRequests} failed of the requests judged; INTERRUPTED: ${report.interrupted}`,
  ];
}
