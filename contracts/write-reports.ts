import { rmSync } from 'node:fs';
import { join } from 'node:path';
import junitModule, { type Builder } from 'junit-report-builder';
import { appendRegularFile, describeOutputError, makeDirectories, writeRegularFile } from '../runtime/write-regular-file.ts';
import type { ContractReport } from './check-implementation.ts';
import { describeCheck } from './describe-violation.ts';

// The package sets module.exports to its builder, while its types describe an ES default export; under NodeNext
// the default import is therefore typed one level too deep. The value is the builder itself.
const junit = junitModule as unknown as Builder;

/** Report files a run writes into --report-dir. */
export const REPORT_FILES = ['junit.xml', 'report.json'] as const;

/** An output (report directory, CI summary) that cannot be written: said before any request is sent; exit 2. */
export class UnwritableOutput extends Error {
  override readonly name = 'UnwritableOutput';
}

/**
 * Makes sure the report files can be written, by creating the directory and writing each file empty. Done
 * before any request is sent, so that a run never judges an implementation and then loses the verdict.
 */
export function prepareReportDir(dir: string): void {
  try {
    makeDirectories(dir);
    for (const name of REPORT_FILES) writeRegularFile(join(dir, name), '');
  } catch (error) {
    throw new UnwritableOutput(
      `Cannot write reports to ${dir}: ${describeOutputError(error)}. Pass --report-dir a directory you can write.`,
    );
  }
}

/** Writes junit.xml (one test case per check × case) and report.json (the whole report) into `dir`. */
export function writeReports(report: ContractReport, dir: string): void {
  try {
    writeRegularFile(join(dir, 'junit.xml'), toJunit(report));
    writeRegularFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    // Do not leave a half-written junit.xml that a CI server would read as a verdict.
    for (const name of REPORT_FILES) rmSync(join(dir, name), { force: true });
    throw new UnwritableOutput(`Cannot write reports to ${dir}: ${describeOutputError(error)}.`);
  }
}

function toJunit(report: ContractReport): string {
  const builder = junit.newBuilder();
  const suite = builder
    .testSuite()
    .name(`contracts against ${report.baseUrl}`)
    .timestamp(report.startedAt)
    .time(report.durationMs / 1000);
  if (report.notJudged !== undefined) suite.testCase().className('contracts').name('run').error(report.notJudged, 'NOT_JUDGED');
  else if (report.interrupted !== undefined) {
    suite.testCase().className('contracts').name('run').error(report.interrupted, 'INTERRUPTED');
  }
  for (const testCase of report.cases) {
    for (const check of testCase.checks) {
      const entry = suite.testCase().className(testCase.id).name(check.check);
      const described = describeCheck(testCase, check).join('\n\n');
      if (check.state === 'failed') entry.failure(described, check.violations[0]?.code ?? 'FAILED');
      else if (check.state === 'skipped') entry.skipped().standardOutput(check.note ?? '');
      else if (check.state === 'warned') entry.standardOutput(described);
    }
  }
  return builder.build();
}

/** Checks, before any request, that the CI job's summary file can be appended to. */
export function prepareStepSummary(file: string): void {
  appendStepSummary(file, '');
}

/** Appends the Markdown summary to the CI job's summary file. */
export function appendStepSummary(file: string, markdown: string): void {
  try {
    appendRegularFile(file, markdown);
  } catch (error) {
    throw new UnwritableOutput(`Cannot append the summary to ${file} (GITHUB_STEP_SUMMARY): ${describeOutputError(error)}.`);
  }
}
