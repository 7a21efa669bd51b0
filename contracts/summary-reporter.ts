import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import type { ContractTestMeta } from './contract-settings.ts';
import { describeViolation } from './describe-violation.ts';
import { CHECKS } from './violations.ts';

type State = 'passed' | 'failed' | 'warned' | 'skipped';

export interface SummaryReporterOptions {
  readonly baseUrl: string;
  readonly strict: boolean;
  /** Where to write report.json (every request and response exchanged); omit for none. */
  readonly reportDir?: string;
}

interface CheckRecord {
  readonly check: string;
  readonly state: State;
  readonly note?: string;
  readonly violations: ContractTestMeta['violations'];
}

/** Ends a contract run with the checks × passed/failed/warned/skipped table, the warnings, and the JSON report. */
export class SummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  constructor(private readonly options: SummaryReporterOptions) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const cases = new Map<string, { kind: string; exchange?: ContractTestMeta['exchange']; checks: CheckRecord[] }>();
    const counts = new Map<string, Record<State, number>>();
    const warnings: string[] = [];
    const skipReasons = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = test.meta().contract;
        if (!meta) continue;
        const record = this.record(test, meta);
        const entry = cases.get(meta.caseId) ?? { kind: meta.kind, checks: [] };
        if (meta.exchange) entry.exchange = meta.exchange;
        entry.checks.push(record);
        cases.set(meta.caseId, entry);
        const row = counts.get(meta.check) ?? { passed: 0, failed: 0, warned: 0, skipped: 0 };
        row[record.state] += 1;
        counts.set(meta.check, row);
        if (record.state === 'warned' && meta.exchange) {
          for (const violation of record.violations) warnings.push(describeViolation(meta.caseId, violation, meta.exchange));
        }
        if (record.state === 'skipped' && record.note) skipReasons.set(record.note, (skipReasons.get(record.note) ?? 0) + 1);
      }
    }
    const totals: Record<State, number> = { passed: 0, failed: 0, warned: 0, skipped: 0 };
    for (const row of counts.values()) for (const state of Object.keys(totals) as State[]) totals[state] += row[state];
    this.print(this.table(counts, totals, cases.size, warnings, skipReasons));
    if (this.options.reportDir) this.writeReport(cases, totals);
  }

  private record(test: TestCase, meta: ContractTestMeta): CheckRecord {
    const result = test.result();
    const note = result.state === 'skipped' ? result.note : undefined;
    let state: State;
    if (result.state === 'failed') state = 'failed';
    else if (result.state === 'passed') state = meta.violations.length > 0 ? 'warned' : 'passed';
    else state = 'skipped';
    return { check: meta.check, state, violations: meta.violations, ...(note === undefined ? {} : { note }) };
  }

  private table(
    counts: Map<string, Record<State, number>>,
    totals: Record<State, number>,
    caseCount: number,
    warnings: string[],
    skipReasons: Map<string, number>,
  ): string[] {
    const width = Math.max(...CHECKS.map((c) => c.length), 'check'.length) + 2;
    const cell = (value: string | number): string => String(value).padStart(8);
    const lines = [
      '',
      `[contracts] ${caseCount} cases against ${this.options.baseUrl}${this.options.strict ? ' (strict)' : ''}`,
      `${'check'.padEnd(width)}${cell('passed')}${cell('failed')}${cell('warned')}${cell('skipped')}`,
    ];
    for (const check of CHECKS) {
      const row = counts.get(check);
      if (row) lines.push(`${check.padEnd(width)}${cell(row.passed)}${cell(row.failed)}${cell(row.warned)}${cell(row.skipped)}`);
    }
    lines.push(
      `${'all checks'.padEnd(width)}${cell(totals.passed)}${cell(totals.failed)}${cell(totals.warned)}${cell(totals.skipped)}`,
    );
    if (warnings.length > 0)
      lines.push('', `[contracts] ${warnings.length} warning(s); --strict makes them failures:`, ...warnings);
    for (const [reason, count] of skipReasons) lines.push(`[contracts] skipped ${count}: ${reason}`);
    // The plain closing line CI tools read: warned checks passed.
    lines.push('', `contracts: ${totals.passed + totals.warned} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
    return lines;
  }

  private writeReport(
    cases: Map<string, { kind: string; exchange?: ContractTestMeta['exchange']; checks: CheckRecord[] }>,
    totals: Record<State, number>,
  ): void {
    const dir = this.options.reportDir as string;
    mkdirSync(dir, { recursive: true });
    const report = {
      baseUrl: this.options.baseUrl,
      strict: this.options.strict,
      finishedAt: new Date().toISOString(),
      totals,
      cases: [...cases].map(([id, entry]) => ({ id, ...entry })),
    };
    writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    this.print([`[contracts] wrote ${join(dir, 'report.json')} and ${join(dir, 'junit.xml')}`]);
  }

  private print(lines: string[]): void {
    const write = (line: string): void => {
      if (this.vitest) this.vitest.logger.log(line);
      else process.stdout.write(`${line}\n`);
    };
    for (const line of lines) write(line);
  }
}
