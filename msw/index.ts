// flashback-contract-kit/msw: MSW 2.x handlers for the kit's document, for a frontend's unit tests (setupServer),
// Storybook or the browser (setupWorker), with no mock server running.
import documents from 'flashback:kit-documents';
import type { HttpHandler } from 'msw';
import { contractFromDocument } from '../engine/index.ts';
import { createMockContext, type MockContext } from '../mock/answering.ts';
import { ContractCoverage } from './contract-coverage.ts';
import { type ContractBreach, ContractBreachError, createHandlers, type HandlerOptions } from './create-handlers.ts';

export type { ContractCoverage, CoverageReport, OperationCoverage } from './contract-coverage.ts';
export { type ContractBreach, ContractBreachError, type HandlerOptions };

let context: MockContext | undefined;

/**
 * Handlers that answer every request to the document's servers (or `options.baseUrl`) exactly as
 * `flashback-contract mock` does: the same examples, scenarios (`?__example=`, `Prefer:`), delays, faults and
 * gap-policy refusals in the error envelope, with the same X-Mock-Source.
 */
export function flashbackHandlers(options: HandlerOptions = {}): HttpHandler[] {
  return createHandlers(kitContext(), options);
}

/**
 * A record of what a frontend's tests exercised of the kit's document: pass it to the handlers
 * (`flashbackHandlers({ coverage })`), then write `coverage.report()` (JSON) or `coverage.markdown()` (a table for
 * a CI summary) once the tests are done.
 */
export function contractCoverage(): ContractCoverage {
  return new ContractCoverage(kitContext().contract);
}

function kitContext(): MockContext {
  // The contract is built from the document here, at run time; the bundle carries the document and the policy
  // as the build read them, since a browser has no files to read (docs/decisions/0009-one-answering-logic.md).
  context ??= createMockContext(
    contractFromDocument(documents.document, documents.documentLabel),
    documents.policy,
    documents.documentLabel,
    documents.policy.path,
  );
  return context;
}
