// The vitest adapter: a backend team writing TypeScript calls describeContract() inside its own vitest files and
// gets one test per check × case against its server. It only presents the core's report; it judges nothing itself.
import { beforeAll, describe, test } from 'vitest';
import { buildCases, checksFor } from '../engine/index.ts';
import { DOCUMENT_PATH, loadContract, policyFor } from '../openapi/index.ts';
import { type CaseResult, type ContractReport, checkImplementation } from './check-implementation.ts';
import type { ContractSettings } from './contract-settings.ts';
import { describeCheck } from './describe-violation.ts';

/** What describeContract needs; everything but the base URL and the token has the CLI's default. */
export interface ContractOptions {
  /** A function is read in beforeAll: for a server that only knows its URL once it listens. */
  readonly baseUrl: string | (() => string);
  readonly token: string | undefined;
  readonly timeoutMs?: number;
  readonly strict?: boolean;
  readonly allowMutations?: boolean;
  readonly documentPath?: string;
  readonly policyPath?: string;
  /** Credentials by security scheme name, for schemes CONTRACT_TOKEN does not serve (basic: user:password). */
  readonly credentials?: Readonly<Record<string, string>>;
}

/** A contract failure: its message is the whole description, so the stack is left out of it. */
class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** Declares a describe block with one test per check × case of the document; the cases are sent once, in beforeAll. */
export function describeContract(options: ContractOptions, name = 'contract'): void {
  describe(name, async () => {
    const documentPath = options.documentPath ?? DOCUMENT_PATH;
    const cases = buildCases(await loadContract(documentPath), policyFor(documentPath, options.policyPath));
    let report: ContractReport | undefined;
    const results = new Map<string, CaseResult>();
    beforeAll(async () => {
      report = await checkImplementation(toSettings(options));
      for (const result of report.cases) results.set(result.id, result);
    }, 120_000);
    for (const testCase of cases) {
      describe(testCase.id, () => {
        for (const check of checksFor(testCase)) {
          test(check, async (context) => {
            if (report?.notJudged !== undefined) throw new Error(report.notJudged);
            const result = results.get(testCase.id);
            const outcome = result?.checks.find((c) => c.check === check);
            if (!result || !outcome) throw new Error(`The run did not judge ${testCase.id}: is the document the same?`);
            if (outcome.state === 'skipped') context.skip(outcome.note);
            if (outcome.state === 'failed') throw new ContractViolation(describeCheck(result, outcome).join('\n'));
            for (const text of outcome.state === 'warned' ? describeCheck(result, outcome) : [])
              await context.annotate(text, 'warning');
          });
        }
      });
    }
  });
}

function toSettings(options: ContractOptions): ContractSettings {
  return {
    baseUrl: typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 10_000,
    strict: options.strict ?? false,
    allowMutations: options.allowMutations ?? false,
    documentPath: options.documentPath ?? DOCUMENT_PATH,
    ...(options.policyPath === undefined ? {} : { policyPath: options.policyPath }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
}
