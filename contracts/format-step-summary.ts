import type { CheckState, ContractReport } from './check-implementation.ts';
import { reproduceWithCurl } from './reproduce-with-curl.ts';
import { CHECKS } from './violations.ts';

const STATES: readonly CheckState[] = ['passed', 'failed', 'warned', 'skipped'];

/** Characters that would break out of a Markdown table cell or an inline code span. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * The run as Markdown for a CI job's summary page (GitHub's GITHUB_STEP_SUMMARY): counts per check, then each
 * failure with its code, its sentence and the curl command that sends the request again. Built from the report,
 * which is redacted, so no secret reaches it.
 */
export function formatStepSummary(report: ContractReport): string {
  if (report.notJudged !== undefined) return `## Contract check: not judged\n\n${report.notJudged}\n`;
  const verdict = report.totals.failed > 0 ? `${report.totals.failed} failed` : 'every check holds';
  const lines = [
    `## Contract check against \`${cell(report.baseUrl)}\`: ${verdict}`,
    '',
    `| check | ${STATES.join(' | ')} |`,
    `| --- | ${STATES.map(() => '---:').join(' | ')} |`,
  ];
  for (const check of CHECKS) {
    const counts: Record<CheckState, number> = { passed: 0, failed: 0, warned: 0, skipped: 0 };
    let seen = false;
    for (const testCase of report.cases) {
      for (const result of testCase.checks) {
        if (result.check !== check) continue;
        counts[result.state] += 1;
        seen = true;
      }
    }
    if (seen) lines.push(`| \`${check}\` | ${STATES.map((state) => counts[state]).join(' | ')} |`);
  }
  const failures = report.cases.flatMap((testCase) =>
    testCase.checks
      .filter((check) => check.state === 'failed')
      .flatMap((check) => check.violations.map((violation) => ({ testCase, violation }))),
  );
  if (failures.length > 0) lines.push('', '### Failures', '');
  for (const { testCase, violation } of failures) {
    lines.push(`- **${violation.code}** on ${cell(testCase.id)}: ${cell(violation.message)}`);
    if (testCase.exchange) lines.push('', '  ```sh', `  ${reproduceWithCurl(testCase.exchange.request)}`, '  ```');
  }
  return `${lines.join('\n')}\n`;
}
