// The engine's public surface: the contract model read from any OpenAPI 3.0 or 3.1 document, the request
// pipeline, the response checks and the wording of refusals. Browser-safe: no Node API is used below this folder.
// The products (contracts/, mock/, msw/, proxy/) import the engine through this file only (biome.json says so).

export { buildCases, type ContractCase, firstValidCase, type RequestPlan } from './build-cases.ts';
export {
  type CaseKind,
  type CheckContext,
  type CheckOutcome,
  checksFor,
  type JudgedCase,
  type Redactor,
  runCheck,
} from './checks/find-violations.ts';
export {
  compileEverySchema,
  describeSchemaError,
  type SchemaError,
  type Validate,
  validatorCache,
  withoutCycles,
} from './compile-validators.ts';
export { containsSubset } from './contains-subset.ts';
export {
  type Contract,
  contractFromDocument,
  documentedKeys,
  type HeaderContract,
  HTTP_METHODS,
  type MediaContent,
  type NamedExample,
  type OpenApiDocument,
  type OperationContract,
  operationLabel,
  type ParameterContract,
  type RequestBodyContract,
  type ResponseContract,
  type ResponseExample,
  resolvePointer,
  responsesFor,
  type SchemaObject,
  type SecurityContract,
  type SecuritySchemeContract,
} from './contract.ts';
export { ContractLoadError } from './contract-error.ts';
export { applyCredentials, type CredentialTarget, setCredential } from './credentials.ts';
export { type ErrorEnvelope, envelopeBody, envelopeFor } from './error-envelope.ts';
export {
  type Exchange,
  type FailureKind,
  MAX_BODY_BYTES,
  RECORDED_BODY_CHARS,
  type RecordedRequest,
  type RecordedResponse,
} from './exchange.ts';
export {
  DEFAULT_POLICY_LABEL,
  defaultPolicyFrom,
  GAP_RULE_IDS,
  type GapPolicy,
  type GapRule,
  type GapRuleId,
  type PolicyEnvelope,
} from './gap-policy.ts';
export { toPointer } from './json-pointer.ts';
export { acceptsMediaType, isJsonMediaType, isMediaType, mediaTypeOf, rangeMatches } from './media-type.ts';
export { coerce, readParameter } from './parameters.ts';
export { judgeRequest, STAGES, type Verdict } from './pipeline.ts';
export { type RefusalAnswer, refusalAnswer, refusalSentence } from './refusals.ts';
export { type BodyReading, type EngineRequest, readCookies } from './request.ts';
export { type Routable, type Route, routeOperation } from './route.ts';
export { challengesFor, describeScheme } from './stages/security.ts';
export type { EngineContext, Refusal, StageName } from './stages/stage.ts';
export type { UnsupportedFeature } from './unsupported.ts';
export { isPlainObject, MAX_SCHEMA_DEPTH, schemaTypes, validValue } from './valid-value.ts';
export { CHECKS, type CheckName, VIOLATIONS, type Violation, type ViolationCode } from './violations.ts';
