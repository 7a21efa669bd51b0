// The public surface of the contract check. Anything not exported here is private to contracts/.
export {
  buildCases,
  type CaseKind,
  CHECKS,
  type CheckName,
  type ContractCase,
  MAX_SCHEMA_DEPTH,
  type RequestPlan,
  VIOLATIONS,
  type Violation,
  type ViolationCode,
} from '../engine/index.ts';
export { callOperation, type Exchange, MAX_BODY_BYTES, type RecordedRequest, type RecordedResponse } from './call-operation.ts';
export {
  CannotJudge,
  type CaseResult,
  type CheckResult,
  type CheckState,
  type ContractReport,
  checkImplementation,
  exitCodeFor,
  judgeExchange,
  loadChecks,
} from './check-implementation.ts';
export { type ContractSettings, isLoopbackUrl, MAX_TIMEOUT_MS } from './contract-settings.ts';
export { describeCheck, describeViolation } from './describe-violation.ts';
export { formatSummary } from './format-summary.ts';
export { describeLoadReport, type LoadReport, loadExitCode, runLoad } from './run-load.ts';
export { writeReports } from './write-reports.ts';
