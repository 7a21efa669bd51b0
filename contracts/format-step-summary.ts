import { markdownText } from '../runtime/markdown-text.ts';
import { CHECK_STATES, type ContractReport, countByCheck } from './check-implementation.ts';
import { reproduceWithCurl } from './reproduce-with-curl.ts';

/** A fenced code block around `code`, with a fence longer than any run of backticks in it, so it cannot be closed early. */
function fenced(code: string, info: string, indent: string): string[] {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${indent}${fence}${info}`, `${indent}${code.replace(/\r?\n/g, ' ')}`, `${indent}${fence}`];
}

/**
 * The run as Markdown for a CI job's summary page (GitHub's GITHUB_STEP_SUMMARY): counts per check, then each
 * failure with its code, its sentence and the curl command that sends the request again. Built from the report,
 * which is redacted, so no secret reaches it; every text in it is escaped (markdownText).
 */
export function formatStepSummary(report: ContractReport): string {
  if (report.notJudged !== undefined) return `## Contract check: not judged\n\n${markdownText(report.notJudged)}\n`;
  const verdict =
    report.interrupted !== undefined
      ? 'interrupted'
      : report.totals.failed > 0
        ? `${report.totals.failed} failed`
        : report.successNotJudged !== undefined
          ? 'every check that ran holds; the success answers were NOT judged'
          : 'every check holds';
  const lines = [`## Contract check against ${markdownText(report.baseUrl)}: ${verdict}`, ''];
  if (report.interrupted !== undefined) lines.push(`**Interrupted.** ${markdownText(report.interrupted)}`, '');
  if (report.successNotJudged !== undefined) {
    lines.push(
      `**The success answers were not judged.** ${markdownText(report.successNotJudged)} Run again with \`--allow-mutations\` against a throw-away environment to judge them.`,
      '',
    );
  }
  if (report.passedOver.length > 0) {
    lines.push('**Not judged** (the document uses what the kit passes over):', '');
    for (const feature of report.passedOver.slice(0, 20)) lines.push(`- ${markdownText(feature)}`);
    if (report.passedOver.length > 20) lines.push(`- and ${report.passedOver.length - 20} more (report.json, passedOver)`);
    lines.push('');
  }
  lines.push(`| check | ${CHECK_STATES.join(' | ')} |`, `| --- | ${CHECK_STATES.map(() => '---:').join(' | ')} |`);
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
    lines.push(`- **${violation.code}** on ${markdownText(testCase.id)}: ${markdownText(violation.message)}`);
    if (testCase.exchange) lines.push('', ...fenced(reproduceWithCurl(testCase.exchange.request), 'sh', '  '));
  }
  return `${lines.join('\n')}\n`;
}
