// The public surface of the contract: the document, the gap policy, and the code that reads them.
export { ContractLoadError } from './contract-error.ts';
export { errorEnvelope, errorEnvelopeJson } from './error-envelope.ts';
export { toPointer } from './json-pointer.ts';
export {
  type Contract,
  loadContract,
  type NamedExample,
  type OperationContract,
  type RequestBodyContract,
  type ResponseContract,
  type ResponseExample,
  resolvePointer,
  type SchemaObject,
} from './load-contract.ts';
export { GAP_RULE_IDS, type GapPolicy, type GapRule, type GapRuleId, loadGapPolicy } from './load-gap-policy.ts';
export { DOCUMENT_PATH, GAP_POLICY_PATH, TYPES_PATH } from './locations.ts';
export { acceptsMediaType, isJsonMediaType, isMediaType, mediaTypeOf } from './media-type.ts';
export { type Routable, type Route, routeOperation } from './route-operation.ts';
