// The contract run: one vitest test per check × case, every case derived from the document at run time.
// Started by contracts/run-contracts.ts, which provides the settings; not part of the unit test glob.
import { Agent } from 'undici';
import { afterAll, describe, inject, test } from 'vitest';
import { buildCases, type ContractCase } from './build-cases.ts';
import { callOperation, type Exchange } from './call-operation.ts';
import { isLoopbackUrl } from './contract-settings.ts';
import { describeViolation } from './describe-violation.ts';
import { checksFor, runCheck } from './find-violations.ts';
import { prepareChecks } from './prepare-checks.ts';
import { redactToken } from './redact-token.ts';

const settings = inject('contractSettings');
const { contract, context } = await prepareChecks(settings);
// Short keep-alive: the suite's connections must not outlive the run (undici's advice for tests).
const agent = new Agent({ keepAliveTimeout: 1000, connections: 8 });
afterAll(() => agent.close());

const mutationsBlocked =
  !settings.allowMutations && !isLoopbackUrl(settings.baseUrl)
    ? `changes state on ${new URL(settings.baseUrl).host}, which is not loopback; pass --allow-mutations to run it`
    : undefined;

/** Each case is sent once, however many checks read its answer. */
const exchanges = new Map<string, Promise<Exchange>>();
function exchangeFor(testCase: ContractCase): Promise<Exchange> {
  let exchange = exchanges.get(testCase.id);
  if (!exchange) {
    exchange = callOperation(testCase.request, {
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      dispatcher: agent,
      ...(settings.token === undefined ? {} : { token: settings.token }),
    });
    exchanges.set(testCase.id, exchange);
  }
  return exchange;
}

/** A contract failure: its message is the whole report, so the stack is left out of it. */
class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

for (const testCase of buildCases(contract)) {
  describe.concurrent(testCase.id, () => {
    for (const check of checksFor(testCase.kind)) {
      test(check, async (ctx) => {
        const meta = { caseId: testCase.id, kind: testCase.kind, check };
        if (testCase.mutates && mutationsBlocked) {
          ctx.task.meta.contract = { ...meta, violations: [] };
          ctx.skip(mutationsBlocked);
        }
        const raw = await exchangeFor(testCase);
        const outcome = runCheck(check, testCase, raw, context);
        // Checks read the answer as it came; everything shown or stored is redacted first.
        const { violations, exchange } = redactToken(
          {
            violations: outcome.kind === 'fail' ? outcome.violations : outcome.kind === 'pass' ? outcome.warnings : [],
            exchange: raw,
          },
          settings.token,
        );
        ctx.task.meta.contract = { ...meta, violations, exchange };
        if (outcome.kind === 'skip') ctx.skip(outcome.reason);
        for (const warning of violations.filter((v) => v.severity === 'warning')) {
          await ctx.annotate(describeViolation(testCase.id, warning, exchange), 'warning');
        }
        if (outcome.kind === 'fail') {
          throw new ContractViolation(violations.map((v) => describeViolation(testCase.id, v, exchange)).join('\n'));
        }
      });
    }
  });
}
