import { Agent } from 'undici';
import { buildCases } from './build-cases.ts';
import { callOperation, type Exchange } from './call-operation.ts';
import type { ContractSettings } from './contract-settings.ts';
import { describeViolation } from './describe-violation.ts';
import { checksFor, runCheck } from './find-violations.ts';
import { prepareChecks } from './prepare-checks.ts';
import { redactToken } from './redact-token.ts';
import type { ViolationCode } from './violations.ts';

export interface LoadReport {
  readonly requests: number;
  readonly concurrency: number;
  readonly wallMs: number;
  /** Requests whose answer broke the contract, by code. */
  readonly violations: Readonly<Partial<Record<ViolationCode, number>>>;
  /** Timeouts and dropped connections. */
  readonly errors: number;
  /** Requests with at least one violation, errors included. */
  readonly failedRequests: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** The first violation of each code, described as the normal run describes it. */
  readonly examples: readonly string[];
}

/**
 * Sends `total` valid requests with `concurrency` in flight, cycling through the document's positive cases, and
 * checks every answer with the normal run's checks. Many servers keep their contract one request at a time
 * and break it under concurrency (a proxy's 502, an HTML error page, a cut-off body): this finds that.
 */
export async function runLoad(settings: ContractSettings, total: number, concurrency: number): Promise<LoadReport> {
  const { contract, context } = await prepareChecks(settings);
  const cases = buildCases(contract).filter((c) => c.kind === 'positive');
  if (cases.length === 0) throw new Error('The document gives no valid request to send under load.');
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 1000 });
  const violations: Partial<Record<ViolationCode, number>> = {};
  const examples = new Map<ViolationCode, string>();
  const latencies: number[] = [];
  let errors = 0;
  let failedRequests = 0;
  let next = 0;
  const started = performance.now();

  const record = (index: number, exchange: Exchange): void => {
    const testCase = cases[index % cases.length];
    if (!testCase) return;
    if (exchange.response) latencies.push(exchange.response.durationMs);
    else errors += 1;
    const codes = new Set<ViolationCode>();
    for (const check of checksFor(testCase.kind)) {
      const outcome = runCheck(check, testCase, exchange, context);
      if (outcome.kind !== 'fail') continue;
      for (const violation of outcome.violations) {
        codes.add(violation.code);
        if (!examples.has(violation.code)) {
          const shown = redactToken({ violation, exchange }, settings.token);
          examples.set(
            violation.code,
            describeViolation(`${testCase.id} (request ${index + 1})`, shown.violation, shown.exchange),
          );
        }
      }
    }
    for (const code of codes) violations[code] = (violations[code] ?? 0) + 1;
    if (codes.size > 0) failedRequests += 1;
  };

  const worker = async (): Promise<void> => {
    for (let index = next++; index < total; index = next++) {
      const testCase = cases[index % cases.length];
      if (!testCase) return;
      const exchange = await callOperation(testCase.request, {
        baseUrl: settings.baseUrl,
        timeoutMs: settings.timeoutMs,
        dispatcher: agent,
        ...(settings.token === undefined ? {} : { token: settings.token }),
      });
      record(index, exchange);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await agent.close();
  }
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    requests: total,
    concurrency,
    wallMs: performance.now() - started,
    violations,
    errors,
    failedRequests,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN },
    examples: [...examples.values()],
  };
}

/** The report as printed: totals, latency percentiles, then one described example per violation code. */
export function describeLoadReport(report: LoadReport, baseUrl: string): string[] {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  return [
    `[contracts] load: ${report.requests} valid requests, ${report.concurrency} in flight, against ${baseUrl}, in ${(report.wallMs / 1000).toFixed(1)} s`,
    `[contracts] latency p50 ${ms(report.latencyMs.p50)}, p90 ${ms(report.latencyMs.p90)}, p99 ${ms(report.latencyMs.p99)}, max ${ms(report.latencyMs.max)}`,
    `[contracts] errors (timeouts, dropped connections): ${report.errors}`,
    ...Object.entries(report.violations).map(([code, count]) => `[contracts] ${code}: ${count} of ${report.requests} requests`),
    ...report.examples.flatMap((example) => ['', example]),
    '',
    `contracts: ${report.requests - report.failedRequests} passed, ${report.failedRequests} failed`,
  ];
}
