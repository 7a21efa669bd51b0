// The public surface of the contract suite. Anything not exported here is private to contracts/.
export { buildCases, type CaseKind, type ContractCase, type RequestPlan } from './build-cases.ts';
export { callOperation, type Exchange, MAX_BODY_BYTES, TOKEN_PLACEHOLDER } from './call-operation.ts';
export { createValidatorCache, type Validate } from './compile-validators.ts';
export { type ContractSettings, isLoopbackUrl } from './contract-settings.ts';
export { describeViolation } from './describe-violation.ts';
export { type CheckContext, type CheckOutcome, checksFor, runCheck } from './find-violations.ts';
export { prepareChecks } from './prepare-checks.ts';
export { redactToken } from './redact-token.ts';
export { readContractSettings, runContracts, UsageError } from './run-contracts.ts';
export { describeLoadReport, type LoadReport, runLoad } from './run-load.ts';
export { CHECKS, type CheckName, VIOLATIONS, type Violation, type ViolationCode } from './violations.ts';
