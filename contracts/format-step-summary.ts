import { CHECK_STATES, type ContractReport, countByCheck } from './check-implementation.ts';
import { reproduceWithCurl } from './reproduce-with-curl.ts';

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
    `| check | ${CHECK_STATES.join(' | ')} |`,
    `| --- | ${CHECK_STATES.map(() => '---:').join(' | ')} |`,
  ];
  for (const [check, counts] of countByCheck(report)) {
    lines.push(`| \`${check}\` | ${CHECK_STATES.map((state) => counts[state]).join(' | ')} |`);
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
