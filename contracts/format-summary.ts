import { CHECKS } from '../engine/index.ts';
import { CHECK_STATES, type CheckState, type ContractReport, countByCheck } from './check-implementation.ts';
import { describeCheck } from './describe-violation.ts';

/** How many passed-over features the console lists; report.json has them all. */
const PASSED_OVER_SHOWN = 10;

/**
 * The report as a backend developer reads it in a terminal or a CI log: each failure and warning described,
 * the checks × states table, why checks were skipped, and the plain closing line CI tools read.
 */
export function formatSummary(report: ContractReport): string[] {
  if (report.notJudged !== undefined) return [`✘ ${report.notJudged}`];
  const failures: string[] = [];
  const warnings: string[] = [];
  const skipReasons = new Map<string, number>();
  for (const testCase of report.cases) {
    for (const check of testCase.checks) {
      if (check.state === 'skipped' && check.note) skipReasons.set(check.note, (skipReasons.get(check.note) ?? 0) + 1);
      (check.state === 'failed' ? failures : warnings).push(...describeCheck(testCase, check));
    }
  }
  const width = Math.max(...CHECKS.map((c) => c.length), 'all checks'.length) + 2;
  const cell = (value: string | number): string => String(value).padStart(8);
  const row = (name: string, values: Record<CheckState, number>): string =>
    `${name.padEnd(width)}${CHECK_STATES.map((state) => cell(values[state])).join('')}`;
  const lines = [...failures.flatMap((text) => [text, ''])];
  if (warnings.length > 0)
    lines.push(
      `[contracts] ${warnings.length} warning(s); --strict makes them failures:`,
      ...warnings.flatMap((text) => [text, '']),
    );
  lines.push(
    `[contracts] ${report.cases.length} cases against ${report.baseUrl} in ${Math.round(report.durationMs)} ms${report.strict ? ' (strict)' : ''}`,
    `${'check'.padEnd(width)}${CHECK_STATES.map(cell).join('')}`,
    ...countByCheck(report).map(([check, values]) => row(check, values)),
    row('all checks', report.totals),
  );
  for (const [reason, count] of skipReasons) lines.push(`[contracts] skipped ${count}: ${reason}`);
  if (report.successNotJudged !== undefined) lines.push(`[contracts] ${report.successNotJudged}`);
  for (const feature of report.passedOver.slice(0, PASSED_OVER_SHOWN)) lines.push(`[contracts] not judged: ${feature}`);
  if (report.passedOver.length > PASSED_OVER_SHOWN) {
    lines.push(
      `[contracts] not judged: ${report.passedOver.length - PASSED_OVER_SHOWN} more, listed in report.json (passedOver)`,
    );
  }
  // The plain closing line CI tools read: warned checks passed. It says so when the success path went unjudged
  // or the run was cut short, so that neither reads as a full pass.
  lines.push(
    '',
    `contracts: ${report.totals.passed + report.totals.warned} passed, ${report.totals.failed} failed, ${report.totals.skipped} skipped${closingNote(report)}`,
  );
  return lines;
}

function closingNote(report: ContractReport): string {
  if (report.interrupted !== undefined) return `; INTERRUPTED: ${report.interrupted}`;
  if (report.successNotJudged !== undefined)
    return '; the success answers were NOT judged (pass --allow-mutations to judge them)';
  return '';
}
